import Foundation
import StateStore
import Testing

@testable import Reporter

@Suite("A slow controller never blocks the agent")
struct NonBlockingTests {
    @Test("while every delivery slot waits on the controller, queueing, notify() and state go on")
    func heldController() async throws {
        let controller = try await TestController.start()
        controller.answerAll(.hold)
        let store = try TestStore()
        let reporter = StatusReporter(
            store: store.store, configuration: try fastConfiguration(url: controller.url),
            logger: quietLogger)
        try await whileRunning(reporter) {
            for i in 0..<12 { try store.enqueue("p\(i)", marker: "1") }
            reporter.notify()
            try await eventually("all slots busy") { controller.held == 8 }
            // The agent's side: statuses queued, wake-ups, state reads, all while nothing answered.
            for round in 2...20 {
                for i in 0..<12 { try store.enqueue("p\(i)", marker: "\(round)") }
                reporter.notify()
                _ = reporter.state
            }
            try await reporter.waitRounds(3)  // the dispatcher keeps going too
            #expect(controller.answered == 0)
            #expect(reporter.state.inFlight == 8)
            #expect(controller.requestCount == 8)
            controller.releaseHeld()
            try await eventually("the outbox to drain") { try store.depth() == 0 }
        }
        #expect(controller.maxInFlight == 8)
        #expect(controller.maxInFlightPerPath == 1)
        for i in 0..<12 {
            let seen = controller.requests.filter { $0.path.hasSuffix("/pods/p\(i)/status") }.compactMap { marker(of: $0) }
            #expect(seen.last == "20", "p\(i) saw \(seen)")
        }
        await controller.stop()
    }

    @Test("a controller that answers after 2 s: queueing and notify() finish before its first answer")
    func slowController() async throws {
        let controller = try await TestController.start()
        controller.answerAll(.slow(seconds: 2))
        let store = try TestStore()
        let reporter = StatusReporter(
            store: store.store, configuration: try fastConfiguration(url: controller.url),
            logger: quietLogger)
        try await whileRunning(reporter) {
            for i in 0..<10 { try store.enqueue("p\(i)", marker: "1") }
            reporter.notify()
            try await eventually("requests in flight") { controller.requestCount >= 8 }
            for i in 0..<10 { try store.enqueue("p\(i)", marker: "2") }
            for _ in 0..<100 { reporter.notify() }
            #expect(reporter.state.inFlight == 8)
            #expect(controller.answered == 0)
            try await eventually("the outbox to drain") { try store.depth() == 0 }
        }
        #expect(controller.maxInFlight <= 8)
        #expect(reporter.state.failed == 0)
        await controller.stop()
    }

    @Test("a request that outlives its deadline fails as a timeout and is retried")
    func requestDeadline() async throws {
        let controller = try await TestController.start()
        controller.answer { _, index in index == 0 ? .hold : .status(200) }
        let store = try TestStore()
        try store.enqueue("web", marker: "1")
        let reporter = StatusReporter(
            store: store.store,
            configuration: try fastConfiguration(url: controller.url, requestTimeout: 0.3),
            logger: quietLogger)
        try await whileRunning(reporter) {
            reporter.notify()
            try await eventually("the timeout") { reporter.state.failed == 1 }
            #expect(reporter.state.failuresByKind == [.timeout: 1])
            #expect(
                reporter.state.lastError == "PATCH \(controller.url)/api/v1/namespaces/default/pods/web/status: no response within 0.3 s")
            try await eventually("the retry") { try store.depth() == 0 }
        }
        controller.releaseHeld()
        await controller.stop()
    }
}

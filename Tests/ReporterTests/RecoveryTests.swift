import Foundation
import StateStore
import Testing

@testable import Reporter

/// What the reporter does when the controller comes back on its own (no heartbeat involved), and
/// its read-ahead of due rows.
@Suite("Recovery after an unavailable controller")
struct RecoveryTests {
    /// 503 with `Retry-After: 1` for pod `a`, 100 for the others, 400 for pod `d`.
    static func unavailable(_ request: RecordedRequest, _ index: Int) -> Reply {
        if request.path.contains("/pods/d/") { return .status(400, body: "bad status") }
        return .status(503, body: "down", retryAfter: request.path.contains("/pods/a/") ? "1" : "100")
    }

    /// 200, but 400 for pod `d`.
    static func available(_ request: RecordedRequest, _ index: Int) -> Reply {
        request.path.contains("/pods/d/") ? .status(400, body: "bad status") : .status(200)
    }

    static func sent(_ controller: TestController, _ pod: String) -> [String] {
        controller.requests.filter { $0.path.hasSuffix("/pods/\(pod)/status") }.compactMap { marker(of: $0) }
    }

    @Test("a status that gets through after 503s sends every status waiting out a back-off at once, but rejected ones")
    func recoverySendsTheWaitingStatuses() async throws {
        let clock = TestClock()
        let controller = try await TestController.start()
        controller.answer(Self.unavailable)
        let store = try TestStore()
        for pod in ["a", "b", "c", "d"] { try store.enqueue(pod, marker: "\(pod)1", at: clock.now) }
        let reporter = StatusReporter(
            store: store.store, configuration: try fastConfiguration(url: controller.url), logger: quietLogger, now: clock.function)
        try await whileRunning(reporter) {
            reporter.notify()
            try await eventually("every pod's first failure") { reporter.state.failed == 4 }
            #expect(try store.entry("b")?.nextAttemptAt == clock.now.addingTimeInterval(100))
            #expect(try store.entry("d")?.nextAttemptAt == clock.now.addingTimeInterval(300))

            controller.answer(Self.available)
            clock.advance(by: 1)  // only a's back-off is over
            reporter.notify()
            try await eventually("b and c without waiting their 100 s") { try store.depth() == 1 }
            try await reporter.waitRounds(3)
        }
        #expect(Self.sent(controller, "a") == ["a1", "a1"])
        #expect(Self.sent(controller, "b") == ["b1", "b1"])
        #expect(Self.sent(controller, "c") == ["c1", "c1"])
        #expect(Self.sent(controller, "d") == ["d1"])  // rejected: keeps its 300 s
        #expect(try store.entry("d")?.nextAttemptAt == clock.now.addingTimeInterval(299))
        await controller.stop()
    }

    @Test("a second recovery within recoveryResetInterval leaves the back-offs alone; a later one does not")
    func recoveryResetsAtMostOncePerInterval() async throws {
        let clock = TestClock()
        let controller = try await TestController.start()
        controller.answer(Self.unavailable)
        let store = try TestStore()
        for pod in ["a", "b"] { try store.enqueue(pod, marker: "\(pod)1", at: clock.now) }
        let configuration = try fastConfiguration(url: controller.url)
        #expect(configuration.recoveryResetInterval == 10)
        let reporter = StatusReporter(store: store.store, configuration: configuration, logger: quietLogger, now: clock.function)
        try await whileRunning(reporter) {
            reporter.notify()
            try await eventually("the first failures") { reporter.state.failed == 2 }
            controller.answer(Self.available)
            clock.advance(by: 1)
            reporter.notify()
            try await eventually("the first recovery") { try store.depth() == 0 }

            // Down again, and back 1 s later: too soon for another reset, b waits its 100 s.
            controller.answer(Self.unavailable)
            for pod in ["a", "b"] { try store.enqueue(pod, marker: "\(pod)2", at: clock.now) }
            reporter.notify()
            try await eventually("the second failures") { reporter.state.failed == 4 }
            controller.answer(Self.available)
            clock.advance(by: 1)
            reporter.notify()
            try await eventually("a's retry") { try store.entry("a") == nil }
            for _ in 0..<5 {
                reporter.notify()
                try await reporter.waitRounds(1)
            }
            #expect(Self.sent(controller, "b") == ["b1", "b1", "b2"])

            // Down again 10 s after the first reset: the next recovery sends b at once.
            controller.answer(Self.unavailable)
            clock.advance(by: 9)
            try store.enqueue("a", marker: "a3", at: clock.now)
            reporter.notify()
            try await eventually("a's third failure") { reporter.state.failed == 5 }
            controller.answer(Self.available)
            clock.advance(by: 1)
            reporter.notify()
            try await eventually("b, long before its 100 s") { try store.depth() == 0 }
        }
        #expect(Self.sent(controller, "b") == ["b1", "b1", "b2", "b2"])
        await controller.stop()
    }

    @Test("a request sent before the controller came back, failing after the back-offs were reset, starts no back-off")
    func failureOfARequestSentBeforeTheResetIsRetriedAtOnce() async throws {
        let clock = TestClock()
        let controller = try await TestController.start()
        // The first request is held and then answered 503 with Retry-After 100 s; the rest 200.
        controller.answer { _, index in index == 0 ? .holdThen(503, retryAfter: "100") : .status(200) }
        let store = try TestStore()
        try store.enqueue("a", marker: "a1", at: clock.now)
        let reporter = StatusReporter(
            store: store.store, configuration: try fastConfiguration(url: controller.url), logger: quietLogger, now: clock.function)
        try await whileRunning(reporter) {
            reporter.notify()
            try await eventually("a's request in flight") { controller.held == 1 }
            // The controller is found back (a heartbeat got through) while a's request is out.
            clock.advance(by: 1)
            await reporter.controllerReachable()
            controller.releaseHeld()
            try await eventually("a's 503 recorded") { reporter.state.failed == 1 }
            // The clock stays where it is: a's status must not wait out the 100 s.
            try await eventually("a delivered without its 100 s") { try store.depth() == 0 }
        }
        #expect(Self.sent(controller, "a") == ["a1", "a1"])
        await controller.stop()
    }

    @Test("a status queued while an older one of its pod waits in the read-ahead is sent as the newer one only")
    func readAheadYieldsToNewerStatus() async throws {
        let controller = try await TestController.start()
        controller.answerAll(.hold)
        let store = try TestStore()
        let reporter = StatusReporter(
            store: store.store, configuration: try fastConfiguration(url: controller.url, concurrency: 1), logger: quietLogger)
        try await whileRunning(reporter) {
            for pod in ["p0", "p1", "p2"] { try store.enqueue(pod, marker: "\(pod)-v1") }
            reporter.notify()
            try await eventually("p0 in flight, p1 and p2 read ahead") { controller.held == 1 }
            try store.enqueue("p2", marker: "p2-v2")
            reporter.notify()
            try await reporter.waitRounds(2)
            controller.releaseHeld()
            try await eventually("every status") { try store.depth() == 0 }
        }
        #expect(controller.requests.compactMap { marker(of: $0) } == ["p0-v1", "p1-v1", "p2-v2"])
        await controller.stop()
    }
}

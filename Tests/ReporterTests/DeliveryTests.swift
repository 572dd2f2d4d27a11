import Foundation
import PodAPI
import StateStore
import Testing

@testable import Reporter

@Suite("Delivery of the outbox")
struct DeliveryTests {
    @Test("every queued pod's latest status arrives as a strategic merge patch with its uid and the bearer token")
    func everyPodArrives() async throws {
        let controller = try await TestController.start()
        let store = try TestStore()
        let token = store.dir.path("token")
        try "secret-1\n".write(toFile: token, atomically: true, encoding: .utf8)
        let pods = (0..<12).map { "pod-\($0)" }
        for pod in pods {
            try store.enqueue(pod, namespace: "ns-a", marker: "\(pod)-old")
            try store.enqueue(pod, namespace: "ns-a", marker: "\(pod)-new")
        }
        let reporter = StatusReporter(
            store: store.store, configuration: try fastConfiguration(url: controller.url, tokenFile: token),
            logger: quietLogger)
        try await whileRunning(reporter) {
            reporter.notify()
            try await eventually("the outbox to drain") { try store.depth() == 0 }
        }
        let requests = controller.requests
        #expect(requests.count == pods.count)
        for pod in pods {
            let matching = requests.filter { $0.path == "/api/v1/namespaces/ns-a/pods/\(pod)/status" }
            #expect(matching.count == 1, "\(pod)")
            guard let request = matching.first else { continue }
            #expect(request.method == "PATCH")
            #expect(request.contentType == "application/strategic-merge-patch+json")
            #expect(request.authorization == "Bearer secret-1")
            let body = try JSONValue.parse(Array(request.body.utf8))
            #expect(body["metadata"]?.string("uid") == "uid-\(pod)")
            #expect(body["status"]?.string("phase") == "Running")
            #expect(body["status"]?.string("message") == "\(pod)-new")
        }
        let state = reporter.state
        #expect(state.delivered == pods.count)
        #expect(state.failed == 0)
        #expect(state.lastSuccessAt != nil)
        #expect(state.inFlight == 0)
        #expect(state.controllerURL == controller.url)
        await controller.stop()
    }

    @Test(
        "the body carries only kubelet's conditions, their order, nulls for what kubelet no longer sets, and the uid (B9)")
    func bodyIsKubeletsPatch() async throws {
        let controller = try await TestController.start()
        let store = try TestStore()
        let json = #"""
            {"phase":"Running","message":"caf\u00e9 \"q\"","conditions":[
            {"type":"PodReadyToStartContainers","status":"True"},{"type":"Initialized","status":"True"},
            {"type":"Ready","status":"False","reason":"ReadinessGatesNotReady"},{"type":"ContainersReady","status":"True"},
            {"type":"PodScheduled","status":"True"},{"type":"InPlaceUpdateReady","status":"False"}]}
            """#
        try store.store.write { tx in
            _ = try tx.enqueueStatus(podUID: "u1", namespace: "default", name: "web", statusJSON: json, at: Date())
        }
        let reporter = StatusReporter(
            store: store.store, configuration: try fastConfiguration(url: controller.url),
            logger: quietLogger)
        try await whileRunning(reporter) {
            reporter.notify()
            try await eventually("delivery") { try store.depth() == 0 }
        }
        let request = try #require(controller.requests.first)
        #expect(request.contentType == "application/strategic-merge-patch+json")
        let body = try JSONValue.parse(Array(request.body.utf8))
        #expect(body["metadata"] == ["uid": "u1"])
        let status = try #require(body["status"])
        #expect(status.string("message") == "caf\u{e9} \"q\"")
        #expect(
            status.array("conditions").map { $0.string("type") ?? "" } == [
                "PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady",
            ])
        #expect(
            status.array("$setElementOrder/conditions") == [
                ["type": "PodReadyToStartContainers"], ["type": "Initialized"], ["type": "Ready"], ["type": "ContainersReady"],
            ])
        #expect(status.array("conditions")[0]["reason"] == .null)
        #expect(status.array("conditions")[2].string("reason") == "ReadinessGatesNotReady")
        #expect(status["podIP"] == .null)
        #expect(status["containerStatuses"] == .null)
        #expect(controller.requests.first?.authorization == nil)
        await controller.stop()
    }

    @Test("a 404 (no such pod in the API) or a 422 (another pod's uid) drops the status instead of retrying")
    func goneIsDropped() async throws {
        for code in [404, 422] {
            let controller = try await TestController.start()
            controller.answerAll(.status(code, body: "{}"))
            let store = try TestStore()
            try store.enqueue("web", namespace: "default", marker: "m")
            let reporter = StatusReporter(
                store: store.store, configuration: try fastConfiguration(url: controller.url), logger: quietLogger)
            try await whileRunning(reporter) {
                reporter.notify()
                try await eventually("the row dropped after \(code)") { try store.depth() == 0 }
            }
            #expect(controller.requestCount == 1)
            await controller.stop()
        }
    }

    @Test("five statuses queued while the controller is down arrive as the newest one, once")
    func coalescing() async throws {
        let controller = try await TestController.start()
        await controller.stop()
        let store = try TestStore()
        let reporter = StatusReporter(
            store: store.store, configuration: try fastConfiguration(url: controller.url),
            logger: quietLogger)
        try await whileRunning(reporter) {
            for i in 1...5 {
                try store.enqueue("web", marker: "v\(i)")
                reporter.notify()
                let failed = reporter.state.failed
                try await eventually("a failed attempt") { reporter.state.failed > failed }
            }
            #expect(try store.entry("web")?.seq == 5)
            try await controller.restart()
            try await eventually("delivery") { try store.depth() == 0 }
            // Nothing more is sent once the outbox is empty.
            try await reporter.waitRounds(5)
        }
        #expect(controller.requests.map { marker(of: $0) } == ["v5"])
        #expect(reporter.state.failuresByKind[.connection, default: 0] >= 5)
        await controller.stop()
    }

    @Test("a pod's statuses never reach the controller out of order")
    func orderNeverRegresses() async throws {
        let controller = try await TestController.start()
        // Every third request fails and some are slow, so deliveries overlap with new statuses.
        controller.answer { _, index in
            switch index % 3 {
            case 0: .status(500, body: "try again")
            case 1: .slow(seconds: 0.02)
            default: .status(200)
            }
        }
        let store = try TestStore()
        let reporter = StatusReporter(
            store: store.store, configuration: try fastConfiguration(url: controller.url, concurrency: 3),
            logger: quietLogger)
        let pods = ["a", "b", "c", "d"]
        let rounds = 40
        try await whileRunning(reporter) {
            for round in 1...rounds {
                for pod in pods { try store.enqueue(pod, marker: "\(round)") }
                reporter.notify()
                try await Task.sleep(for: .milliseconds(5))
            }
            try await eventually("the outbox to drain") { try store.depth() == 0 }
        }
        for pod in pods {
            let seen = controller.requests
                .filter { $0.path.hasSuffix("/pods/\(pod)/status") }
                .compactMap { marker(of: $0).flatMap(Int.init) }
            #expect(seen == seen.sorted(), "pod \(pod) saw \(seen)")
            #expect(seen.last == rounds, "pod \(pod)")
        }
        #expect(controller.maxInFlightPerPath <= 1)
        #expect(controller.maxInFlight <= 3)
        await controller.stop()
    }

    @Test("with the controller down for a while and back, every pod's latest status arrives")
    func controllerDownThenBack() async throws {
        let controller = try await TestController.start()
        let store = try TestStore()
        let reporter = StatusReporter(
            store: store.store, configuration: try fastConfiguration(url: controller.url),
            logger: quietLogger)
        let pods = (0..<20).map { "p\($0)" }
        try await whileRunning(reporter) {
            for pod in pods { try store.enqueue(pod, marker: "1") }
            reporter.notify()
            try await eventually("the first round") { try store.depth() == 0 }

            await controller.stop()
            for pod in pods { try store.enqueue(pod, marker: "2") }
            reporter.notify()
            try await eventually("failures while down") { reporter.state.failed >= pods.count }
            for pod in pods { try store.enqueue(pod, marker: "3") }
            reporter.notify()
            try await eventually("more failures while down") { reporter.state.failed >= 2 * pods.count }
            #expect(try store.depth() == pods.count)
            #expect(reporter.state.isConnected == false)
            #expect(reporter.state.lastError?.contains("PATCH \(controller.url)/api/v1/namespaces/default/pods/") == true)
            let entry = try #require(try store.entry("p0"))
            #expect(entry.attempts >= 1)
            #expect(entry.lastError != nil)

            try await controller.restart()
            try await eventually("everything after the restart") { try store.depth() == 0 }
        }
        for pod in pods {
            let seen = controller.requests.filter { $0.path.hasSuffix("/pods/\(pod)/status") }.compactMap { marker(of: $0) }
            // "2" was replaced by "3" while nothing could reach the controller.
            #expect(seen == ["1", "3"], "pod \(pod)")
        }
        #expect(reporter.state.isConnected)
        await controller.stop()
    }

    @Test("a status queued while its pod's previous one is in flight is sent after it")
    func newerStatusQueuedDuringFlight() async throws {
        let controller = try await TestController.start()
        controller.answerAll(.hold)
        let store = try TestStore()
        let reporter = StatusReporter(
            store: store.store, configuration: try fastConfiguration(url: controller.url),
            logger: quietLogger)
        try await whileRunning(reporter) {
            try store.enqueue("web", marker: "first")
            reporter.notify()
            try await eventually("the first request") { controller.held == 1 }
            try store.enqueue("web", marker: "second")
            reporter.notify()
            try await reporter.waitRounds(3)
            #expect(controller.requestCount == 1)  // one in flight per pod
            controller.releaseHeld()
            try await eventually("the second status") { try store.depth() == 0 }
        }
        #expect(controller.requests.map { marker(of: $0) } == ["first", "second"])
        await controller.stop()
    }

    @Test("latency and outcomes go to the observer")
    func observer() async throws {
        let controller = try await TestController.start()
        controller.answer { request, _ in
            request.path.contains("/pods/bad/") ? .status(503) : .status(200)
        }
        let store = try TestStore()
        let latencies = LockedList<Double>()
        let failures = LockedList<DeliveryFailureKind>()
        let observer = ClosureReporterObserver(onDelivered: { latencies.append($0) }, onFailed: { failures.append($0) })
        let clock = TestClock()
        try store.enqueue("good", marker: "x", at: clock.now)
        try store.enqueue("bad", marker: "x", at: clock.now)
        clock.advance(by: 2.5)
        let reporter = StatusReporter(
            store: store.store, configuration: try fastConfiguration(url: controller.url),
            observer: observer, logger: quietLogger, now: clock.function)
        try await whileRunning(reporter) {
            reporter.notify()
            try await eventually("both outcomes") { !latencies.items.isEmpty && !failures.items.isEmpty }
        }
        #expect(latencies.items == [2.5])
        #expect(failures.items.allSatisfy { $0 == .serverError })
        #expect(reporter.state.failuresByKind[.serverError] == failures.items.count)
        await controller.stop()
    }
}

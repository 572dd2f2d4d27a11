import Foundation
import StateStore
import Testing

@testable import Reporter

@Suite("Retry policy against a real controller")
struct RetryPolicyTests {
    static let httpDate: DateFormatter = {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter
    }()

    enum RetryAfterForm: String, CaseIterable, Sendable {
        case seconds429, httpDate429, seconds503
    }

    @Test("Retry-After is honoured: no retry before it, one right after", arguments: RetryAfterForm.allCases)
    func retryAfter(_ form: RetryAfterForm) async throws {
        let clock = TestClock()
        let (status, header, wait): (Int, String, TimeInterval) =
            switch form {
            case .seconds429: (429, "120", 120)
            case .httpDate429: (429, Self.httpDate.string(from: clock.now.addingTimeInterval(45)), 45)
            case .seconds503: (503, "30", 30)
            }
        let controller = try await TestController.start()
        controller.answer { _, index in
            index == 0 ? .status(status, body: "slow down", retryAfter: header) : .status(200)
        }
        let store = try TestStore()
        try store.enqueue("web", marker: "v1", at: clock.now)
        let reporter = StatusReporter(
            store: store.store, configuration: try fastConfiguration(url: controller.url),
            logger: quietLogger, now: clock.function)
        try await whileRunning(reporter) {
            reporter.notify()
            try await eventually("the throttled attempt") { reporter.state.failed == 1 }
            let entry = try #require(try store.entry("web"))
            #expect(entry.nextAttemptAt == clock.now.addingTimeInterval(wait))
            #expect(entry.attempts == 1)
            #expect(entry.lastError?.contains("HTTP \(status)") == true)

            // Wake it repeatedly: it must not go early.
            for _ in 0..<3 {
                reporter.notify()
                try await reporter.waitRounds(2)
            }
            clock.advance(by: wait - 1)
            reporter.notify()
            try await reporter.waitRounds(3)
            #expect(controller.requestCount == 1)

            clock.advance(by: 1)
            reporter.notify()
            try await eventually("the retry") { try store.depth() == 0 }
        }
        #expect(controller.requestCount == 2)
        #expect(reporter.state.failuresByKind == [status == 429 ? .throttled : .serverError: 1])
        await controller.stop()
    }

    @Test("a 4xx is logged with its body and retried only after the slow interval", arguments: [400, 403, 413])
    func rejectedIsNotHotLooped(_ status: Int) async throws {
        let clock = TestClock()
        let controller = try await TestController.start()
        controller.answerAll(.status(status, body: #"{"message":"pod spec invalid"}"#))
        let store = try TestStore()
        let logs = LogCapture()
        try store.enqueue("web", marker: "v1", at: clock.now)
        let reporter = StatusReporter(
            store: store.store, configuration: try fastConfiguration(url: controller.url),
            logger: logs.logger, now: clock.function)
        try await whileRunning(reporter) {
            reporter.notify()
            try await eventually("the rejected attempt") { reporter.state.failed == 1 }
            // A window of many wake-ups and polls: still that one request.
            for _ in 0..<20 {
                reporter.notify()
                try await reporter.waitRounds(1)
            }
            #expect(controller.requestCount == 1)
            let entry = try #require(try store.entry("web"))
            #expect(entry.nextAttemptAt == clock.now.addingTimeInterval(300))
            #expect(entry.lastError?.contains("HTTP \(status)") == true)
            #expect(entry.lastError?.contains("pod spec invalid") == true)
            try await eventually("the warning") {
                logs.entries.contains { $0.level == .warning && $0.message.contains("rejected") }
            }
            let warning = logs.entries.first { $0.level == .warning && $0.message.contains("rejected") }
            #expect(warning?.metadata["error"]?.contains("pod spec invalid") == true)

            // After the interval it is tried again (and rejected again).
            clock.advance(by: 300)
            reporter.notify()
            try await eventually("the slow retry") { reporter.state.failed == 2 }
            #expect(try store.entry("web")?.nextAttemptAt == clock.now.addingTimeInterval(300))

            // A newer status is not held back by the old one's rejection.
            controller.answerAll(.status(200))
            try store.enqueue("web", marker: "v2", at: clock.now)
            reporter.notify()
            try await eventually("the newer status") { try store.depth() == 0 }
        }
        #expect(controller.requests.map { marker(of: $0) } == ["v1", "v1", "v2"])
        #expect(reporter.state.failuresByKind == [.rejected: 2])
        await controller.stop()
    }

    @Test("409 is retried with the normal back-off")
    func conflictRetried() async throws {
        let clock = TestClock()
        let controller = try await TestController.start()
        controller.answer { _, index in index == 0 ? .status(409, body: "conflict") : .status(200) }
        let store = try TestStore()
        try store.enqueue("web", marker: "v1", at: clock.now)
        let reporter = StatusReporter(
            store: store.store, configuration: try fastConfiguration(url: controller.url),
            logger: quietLogger, now: clock.function)
        try await whileRunning(reporter) {
            reporter.notify()
            try await eventually("the conflict") { reporter.state.failed == 1 }
            let next = try #require(try store.entry("web")?.nextAttemptAt)
            #expect(next >= clock.now && next <= clock.now.addingTimeInterval(0.05))  // first ceiling
            clock.advance(by: 0.05)
            reporter.notify()
            try await eventually("the retry") { try store.depth() == 0 }
        }
        #expect(reporter.state.failuresByKind == [.conflict: 1])
        #expect(controller.requestCount == 2)
        await controller.stop()
    }

    @Test("5xx back-off grows and stays within the jitter ceiling")
    func serverErrorBackoff() async throws {
        let clock = TestClock()
        let controller = try await TestController.start()
        controller.answerAll(.status(500, body: "boom"))
        let store = try TestStore()
        try store.enqueue("web", marker: "v1", at: clock.now)
        let configuration = try fastConfiguration(url: controller.url)
        let reporter = StatusReporter(
            store: store.store, configuration: configuration, logger: quietLogger,
            now: clock.function)
        try await whileRunning(reporter) {
            for failure in 0..<6 {
                reporter.notify()
                try await eventually("failure \(failure + 1)") { reporter.state.failed == failure + 1 }
                let entry = try #require(try store.entry("web"))
                #expect(entry.attempts == failure + 1)
                let delay = try #require(entry.nextAttemptAt).timeIntervalSince(clock.now)
                #expect(delay >= 0)
                #expect(delay <= configuration.backoff.ceiling(afterFailures: failure))
                clock.advance(by: delay)
            }
        }
        #expect(controller.requestCount == 6)
        #expect(reporter.state.lastError?.contains("HTTP 500 Internal Server Error: boom") == true)
        await controller.stop()
    }

    @Test("a 401 is retried at once when the token file changes")
    func unauthorizedRetriedWithNewToken() async throws {
        let clock = TestClock()
        let controller = try await TestController.start()
        controller.answer { request, _ in
            request.authorization == "Bearer new" ? .status(200) : .status(401, body: "Unauthorized")
        }
        let store = try TestStore()
        let token = store.dir.path("token")
        try "old".write(toFile: token, atomically: true, encoding: .utf8)
        try store.enqueue("web", marker: "v1", at: clock.now)
        let reporter = StatusReporter(
            store: store.store,
            configuration: try fastConfiguration(url: controller.url, tokenFile: token),
            logger: quietLogger, now: clock.function)
        try await whileRunning(reporter) {
            reporter.notify()
            try await eventually("the 401") { reporter.state.failed == 1 }
            try await reporter.waitRounds(3)
            #expect(controller.requestCount == 1)
            try "new".write(toFile: token, atomically: true, encoding: .utf8)  // a rename: a new inode
            reporter.notify()
            try await eventually("delivery with the new token") { try store.depth() == 0 }
        }
        #expect(controller.requests.map(\.authorization) == ["Bearer old", "Bearer new"])
        await controller.stop()
    }
}

@Suite("Retry policy pieces")
struct RetryPolicyUnitTests {
    @Test("back-off ceilings double from 0.5 s to 60 s")
    func backoffCeilings() {
        let backoff = DeliveryBackoff()
        #expect((0..<9).map { backoff.ceiling(afterFailures: $0) } == [0.5, 1, 2, 4, 8, 16, 32, 60, 60])
        #expect(backoff.ceiling(afterFailures: 10_000) == 60)
        #expect(backoff.delay(afterFailures: 3, random: { $0.upperBound }) == 4)
        #expect(backoff.delay(afterFailures: 3, random: { $0.lowerBound }) == 0)
        for failures in 0..<12 {
            let delay = backoff.delay(afterFailures: failures)
            #expect(delay >= 0 && delay <= backoff.ceiling(afterFailures: failures))
        }
    }

    @Test("Retry-After as seconds or as an HTTP date")
    func retryAfterParsing() {
        let now = Date(timeIntervalSince1970: 784_111_777)  // Sun, 06 Nov 1994 08:49:37 GMT
        #expect(RetryAfter.seconds("120", now: now) == 120)
        #expect(RetryAfter.seconds(" 0 ", now: now) == 0)
        #expect(RetryAfter.seconds("Sun, 06 Nov 1994 08:50:07 GMT", now: now) == 30)
        #expect(RetryAfter.seconds("Sunday, 06-Nov-94 08:50:37 GMT", now: now) == 60)
        #expect(RetryAfter.seconds("Sun Nov  6 08:51:37 1994", now: now) == 120)
        #expect(RetryAfter.seconds("Sun, 06 Nov 1994 08:00:00 GMT", now: now) == 0)  // in the past
        #expect(RetryAfter.seconds("-5", now: now) == nil)
        #expect(RetryAfter.seconds("soon", now: now) == nil)
        #expect(RetryAfter.seconds("", now: now) == nil)
    }

    @Test(
        "HTTP statuses map to failure kinds",
        arguments: [
            (200, nil), (204, nil), (302, DeliveryFailureKind.unexpectedStatus), (400, .rejected), (401, .rejected),
            (403, .rejected), (404, .rejected), (408, .timeout), (409, .conflict), (422, .rejected), (429, .throttled),
            (500, .serverError), (503, .serverError),
        ] as [(Int, DeliveryFailureKind?)])
    func statusKinds(_ status: Int, _ kind: DeliveryFailureKind?) {
        let response = ControllerResponse(status: status, reason: "R", retryAfter: "7", bodyPrefix: " details \n")
        let failure = DeliveryFailure.from(response: response, request: "PATCH http://c/x", now: Date())
        #expect(failure?.kind == kind)
        if let failure {
            #expect(failure.message == "PATCH http://c/x: HTTP \(status) R: details")
            #expect(failure.httpStatus == status)
            #expect(failure.retryAfter == ((status == 429 || status >= 500) ? 7 : nil))
        }
    }
}

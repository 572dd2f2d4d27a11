import Foundation
import Logging
import Reporter
import StateStore

/// The reporter figure: statuses queued while the controller answers 503, then the time for all of
/// them to reach it once it answers 200 again. The real `StatusReporter` with the daemon's
/// configuration (8 in flight, 1 s poll, back-off 0.5 s doubling to 60 s) on a real SQLite outbox.
enum ReporterDrain {
    /// One queued status: the pod and its PodStatus JSON.
    struct Status: Sendable {
        var podUID: String
        var namespace: String
        var name: String
        var json: String
    }

    /// What one run measured.
    struct Outcome: Sendable {
        /// Seconds from the controller's recovery to its having every pod's status.
        var seconds: Double
        /// Seconds the controller answered 503 (until every status had failed `downFailures` times).
        var downSeconds: Double
        /// Pod status patches answered 503.
        var refused: Int
        /// Requests the controller received in all.
        var requests: Int
    }

    /// How the reporter learns that the controller is back.
    enum Recovery: String, Sendable {
        /// `controllerReachable()` at the instant the controller recovers, as the node heartbeat
        /// calls it when a heartbeat gets through after failures.
        case signalled
        /// Nothing tells it: only its own retries find out.
        case unsignalled
    }

    /// Queues `statuses`, lets each fail `downFailures` times against a controller answering 503,
    /// makes the controller answer 200 and measures until it has them all.
    /// - Throws: the store's or the controller's set-up error; `BenchError.timedOut` after
    ///   `timeoutSeconds` (seconds) in either phase.
    static func run(statuses: [Status], downFailures: Int, recovery: Recovery, timeoutSeconds: Double = 300) async throws -> Outcome {
        let directory = "/tmp/ipd-bench-rep-" + UUID().uuidString.prefix(8).lowercased()
        let store = try StateStore(path: directory + "/" + StateStore.databaseFileName)
        defer {
            try? store.close()
            try? FileManager.default.removeItem(atPath: directory)
        }
        for s in statuses {
            try store.write { tx in
                _ = try tx.enqueueStatus(podUID: s.podUID, namespace: s.namespace, name: s.name, statusJSON: s.json, at: Date())
            }
        }
        let controller = try await ControllerStub.start()
        let reporter = StatusReporter(
            store: store,
            configuration: try StatusReporterConfiguration(endpoint: ControllerEndpoint(url: controller.url, userAgent: "inplaced/bench")),
            logger: AgentFixture.quiet)
        let running = Task { try await reporter.run() }
        defer { running.cancel() }
        reporter.notify()

        let clock = ContinuousClock()
        let down = clock.now
        while try store.read({ try $0.pendingStatuses(limit: 1_000_000, now: .distantFuture) }).contains(where: {
            $0.attempts < downFailures
        }) {
            guard clock.now - down < .seconds(timeoutSeconds) else {
                throw BenchError.timedOut("the statuses failing \(downFailures) times")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        let up = clock.now
        controller.recover(target: statuses.count)
        if recovery == .signalled { await reporter.controllerReachable() }
        while controller.reachedAt == nil {
            guard clock.now - up < .seconds(timeoutSeconds) else { throw BenchError.timedOut("the controller receiving every status") }
            try await Task.sleep(for: .milliseconds(5))
        }
        let outcome = Outcome(
            seconds: (controller.reachedAt! - up) / .seconds(1), downSeconds: (up - down) / .seconds(1), refused: controller.refused,
            requests: controller.requests)
        running.cancel()
        _ = try? await running.value
        await controller.stop()
        return outcome
    }
}

/// Why the benchmark gave up.
enum BenchError: Error, CustomStringConvertible {
    case timedOut(String)
    case usage(String)

    var description: String {
        switch self {
        case .timedOut(let what): return "timed out waiting for \(what)"
        case .usage(let text): return text
        }
    }
}

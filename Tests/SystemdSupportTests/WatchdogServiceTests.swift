import Foundation
import Logging
import ServiceLifecycle
import Testing

@testable import SystemdSupport

@Suite("WatchdogService pings only while the liveness check passes")
struct WatchdogServiceTests {
    @Test("pings while alive, stops when the check fails, resumes when it passes, and says why")
    func pingsOnlyWhileAlive() async throws {
        let receiver = try DatagramReceiver()
        let notifier = try SystemdNotifier(environment: ["NOTIFY_SOCKET": receiver.notifySocket])
        let probe = LivenessProbe(alive: true)
        let (logger, logs) = CapturingLogHandler.logger()
        let service = WatchdogService(
            notifier: notifier, pingInterval: .milliseconds(50),
            livenessDescription: "the relist loop completed a pass within 30s",
            logger: logger
        ) { probe.check() }
        let group = ServiceGroup(configuration: .init(services: [service], logger: logger))

        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }

            // Alive: three pings arrive, each exactly WATCHDOG=1.
            for _ in 0..<3 { #expect(await receiver.receive() == "WATCHDOG=1") }

            // Failing: once a check has answered false, every ping of an earlier passing check has
            // been delivered (the loop checks, then sends, then sleeps). Drain those, then let three
            // more failing checks happen: none of them may send.
            probe.set(alive: false)
            #expect(await probe.waitFor(1, answering: false))
            #expect(receiver.drain().allSatisfy { $0 == "WATCHDOG=1" })
            #expect(await probe.waitFor(4, answering: false))
            #expect(receiver.drain().isEmpty)
            #expect(logs.messages(at: .error).count == 1, "the failure is logged once, not per tick")
            let failure = try #require(logs.all.first { $0.level == .error })
            #expect(failure.message.contains("liveness check failed"))
            #expect(failure.metadata["check"] == "the relist loop completed a pass within 30s")

            // Passing again: pings resume, and the recovery is logged.
            let passedBefore = probe.count(answering: true)
            probe.set(alive: true)
            #expect(await receiver.receive() == "WATCHDOG=1")
            #expect(probe.count(answering: true) > passedBefore)
            #expect(logs.messages(at: .notice).contains { $0.contains("passes again") })

            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    @Test("a check that never passes sends nothing")
    func neverAlive() async throws {
        let receiver = try DatagramReceiver()
        let notifier = try SystemdNotifier(environment: ["NOTIFY_SOCKET": receiver.notifySocket])
        let probe = LivenessProbe(alive: false)
        let (logger, logs) = CapturingLogHandler.logger()
        let service = WatchdogService(notifier: notifier, pingInterval: .milliseconds(50), logger: logger) { probe.check() }
        let group = ServiceGroup(configuration: .init(services: [service], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            #expect(await probe.waitFor(3, answering: false))
            #expect(receiver.drain().isEmpty)
            #expect(logs.messages(at: .error).count == 1)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    @Test("graceful shutdown ends the service in the middle of a long interval")
    func gracefulShutdownInterruptsSleep() async throws {
        let probe = LivenessProbe(alive: true)
        let (logger, _) = CapturingLogHandler.logger()
        let service = WatchdogService(notifier: SystemdNotifier(address: nil), pingInterval: .seconds(3_600), logger: logger) {
            probe.check()
        }
        let group = ServiceGroup(configuration: .init(services: [service], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            await group.triggerGracefulShutdown()
            // Returns (instead of hanging for an hour) and the check was never asked.
            try await tasks.waitForAll()
        }
        #expect(probe.count(answering: true) == 0)
    }

    @Test("a ping that cannot be sent is logged once as a warning and the service keeps running")
    func sendFailureLoggedOnce() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("absent-\(UUID().uuidString).sock").path
        let notifier = try SystemdNotifier(environment: ["NOTIFY_SOCKET": path])
        let probe = LivenessProbe(alive: true)
        let (logger, logs) = CapturingLogHandler.logger()
        let service = WatchdogService(notifier: notifier, pingInterval: .milliseconds(50), logger: logger) { probe.check() }
        let group = ServiceGroup(configuration: .init(services: [service], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            // The 4th check happens after the 3rd send attempt has failed.
            #expect(await probe.waitFor(4, answering: true))
            let warnings = logs.all.filter { $0.level == .warning }
            #expect(warnings.count == 1)
            #expect(warnings.first?.metadata["error"]?.description.contains(path) == true)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }
}

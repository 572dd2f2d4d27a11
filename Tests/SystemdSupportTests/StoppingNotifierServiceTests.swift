import Foundation
import Logging
import ServiceLifecycle
import Testing

@testable import SystemdSupport

/// A service that, once asked to shut down, waits until the test releases it.
private struct HeldService: Service {
    let released: LivenessProbe
    func run() async throws {
        try? await gracefulShutdown()
        while released.check() == false { try await Task.sleep(for: .milliseconds(5)) }
    }
}

@Suite("StoppingNotifierService sends STOPPING=1 when graceful shutdown begins")
struct StoppingNotifierServiceTests {
    @Test("placed last, it sends STOPPING=1 before the other services have stopped")
    func stoppingFirst() async throws {
        let receiver = try DatagramReceiver()
        let notifier = try SystemdNotifier(environment: ["NOTIFY_SOCKET": receiver.notifySocket])
        let (logger, _) = CapturingLogHandler.logger()
        let release = LivenessProbe(alive: false)
        let group = ServiceGroup(
            configuration: .init(
                services: [
                    HeldService(released: release), StoppingNotifierService(notifier: notifier, logger: logger),
                ], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            #expect(receiver.drain().isEmpty, "nothing before shutdown")
            await group.triggerGracefulShutdown()
            // The held service cannot stop yet, so STOPPING=1 came first.
            #expect(await receiver.receive() == "STOPPING=1")
            release.set(alive: true)
            try await tasks.waitForAll()
        }
        #expect(receiver.drain().isEmpty, "sent once")
    }

    @Test("cancellation ends it without a datagram")
    func cancelled() async throws {
        let receiver = try DatagramReceiver()
        let notifier = try SystemdNotifier(environment: ["NOTIFY_SOCKET": receiver.notifySocket])
        let (logger, _) = CapturingLogHandler.logger()
        let task = Task { try await StoppingNotifierService(notifier: notifier, logger: logger).run() }
        task.cancel()
        try await task.value
        #expect(receiver.drain().isEmpty)
    }
}

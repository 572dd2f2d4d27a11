import Logging
import ServiceLifecycle

/// Pings systemd's watchdog (`WATCHDOG=1`) every `pingInterval`, but only while `isAlive` says the
/// daemon's work is progressing, so a daemon whose main loop hangs stops pinging and systemd
/// restarts it once `WatchdogSec` passes without a ping (with `Restart=on-failure`).
///
/// Each tick, after sleeping `pingInterval`, it asks `isAlive`: `true` sends `WATCHDOG=1`; `false`
/// sends nothing. The first failing check is logged at `error` with the check's description, and a
/// later passing one at `notice`, so the journal says why systemd killed the service. A ping that
/// cannot be sent is logged at `warning` (once until one succeeds). Runs until graceful shutdown
/// or cancellation, then returns; it never ends on its own, so it never stops its `ServiceGroup`.
public struct WatchdogService: Service {
    /// Time between liveness checks (and pings while alive); half of `WatchdogSec` in production.
    public let pingInterval: Duration
    /// What `isAlive` checks, for the log, e.g. `"the relist loop completed a pass within 30s"`.
    public let livenessDescription: String
    private let notifier: SystemdNotifier
    private let isAlive: @Sendable () async -> Bool
    private let logger: Logger

    /// - Parameters:
    ///   - notifier: where pings go.
    ///   - pingInterval: time between checks; `WatchdogConfig.pingInterval` in production. Positive.
    ///   - livenessDescription: what `isAlive` checks, quoted in the log when it fails.
    ///   - logger: logs the failing check, its recovery and send errors.
    ///   - isAlive: the liveness check, asked once per tick; a ping is sent only when it returns `true`.
    public init(
        notifier: SystemdNotifier, pingInterval: Duration, livenessDescription: String = "the liveness check",
        logger: Logger, isAlive: @escaping @Sendable () async -> Bool
    ) {
        precondition(pingInterval > .zero, "watchdog ping interval must be positive")
        self.notifier = notifier
        self.pingInterval = pingInterval
        self.livenessDescription = livenessDescription
        self.logger = logger
        self.isAlive = isAlive
    }

    public func run() async throws {
        logger.info(
            "systemd watchdog pings enabled",
            metadata: [
                "interval": "\(pingInterval)", "check": "\(livenessDescription)",
            ])
        do {
            try await cancelWhenGracefulShutdown { try await self.pingLoop() }
        } catch is CancellationError {
            // Graceful shutdown or cancellation: stop pinging.
        }
    }

    private func pingLoop() async throws {
        let clock = ContinuousClock()
        var lastPing = clock.now
        var failing = false
        var sendFailing = false
        while true {
            try await Task.sleep(for: pingInterval, clock: clock)
            guard await isAlive() else {
                if !failing {
                    failing = true
                    logger.error(
                        "liveness check failed; no longer pinging the systemd watchdog, so systemd restarts the service unless it recovers within WatchdogSec",
                        metadata: [
                            "check": "\(livenessDescription)", "sinceLastPing": "\(clock.now - lastPing)",
                        ])
                }
                continue
            }
            if failing {
                failing = false
                logger.notice(
                    "liveness check passes again; pinging the systemd watchdog",
                    metadata: [
                        "check": "\(livenessDescription)", "sinceLastPing": "\(clock.now - lastPing)",
                    ])
            }
            do {
                try notifier.watchdog()
                lastPing = clock.now
                sendFailing = false
            } catch {
                if !sendFailing {
                    sendFailing = true
                    logger.warning("cannot ping the systemd watchdog", metadata: ["error": "\(error)"])
                }
            }
        }
    }
}

import Logging
import ServiceLifecycle

/// Sends `STOPPING=1` as soon as graceful shutdown begins, then returns.
///
/// A `ServiceGroup` shuts its services down one at a time in reverse order, so place this service
/// **last** in the group's list: it is signalled first, and `systemctl status` shows
/// `deactivating` while the other services are still stopping. Cancellation (the group failing)
/// ends it without sending anything; a send error is logged at `warning`.
public struct StoppingNotifierService: Service {
    private let notifier: SystemdNotifier
    private let logger: Logger

    public init(notifier: SystemdNotifier, logger: Logger) {
        self.notifier = notifier
        self.logger = logger
    }

    public func run() async throws {
        do { try await gracefulShutdown() } catch { return }
        do { try notifier.stopping() } catch {
            logger.warning("cannot notify systemd of the shutdown", metadata: ["error": "\(error)"])
        }
    }
}

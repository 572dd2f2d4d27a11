import Foundation

/// How `StatusReporter` delivers the outbox.
public struct StatusReporterConfiguration: Sendable, Hashable {
    /// The controller.
    public var endpoint: ControllerEndpoint
    /// The most pod statuses in flight at once (default 8); never more than one per pod.
    public var maxConcurrentDeliveries: Int
    /// Seconds between looks at the outbox when nothing calls `notify()` (default 1): picks up
    /// rows whose back-off expired and statuses queued without a `notify()`.
    public var pollInterval: TimeInterval
    /// Back-off after a transient failure (connection, timeout, TLS, 5xx, 409, 429 without
    /// `Retry-After`, credentials): full jitter, 0.5 s doubling to 60 s by default.
    public var backoff: DeliveryBackoff
    /// Seconds before a status that the controller rejected with a 4xx other than 408/409/429 is
    /// sent again (default 300). Such an answer will most likely repeat, so it is not retried at
    /// the back-off's pace; it is still retried, because the cause may be fixed on the controller's
    /// side (a pod it did not know yet, a permission granted later). A NEWER status of that pod is
    /// sent at once, and after a 401/403 so is the same status once the token file changes.
    public var rejectedRetryInterval: TimeInterval
    /// The longest `Retry-After` honoured, in seconds (default 600); longer values are cut to it.
    public var maxRetryAfter: TimeInterval
    /// When a status gets through after the controller was unreachable or failing (a connection,
    /// timeout, TLS or 5xx failure), every status waiting out a back-off is made due at once, as
    /// when a heartbeat gets through after failures; statuses the controller rejected (4xx) keep
    /// their slower retry. This is done at most once per this many seconds (default 10, the
    /// heartbeat's period), so a controller that fails every other request does not have the whole
    /// queue retried after each success.
    public var recoveryResetInterval: TimeInterval

    /// - Throws: `ReporterError.invalidConfiguration` naming a setting that is out of range
    ///   (`maxConcurrentDeliveries` < 1, a non-positive interval, `backoff.initial` > `backoff.maximum`).
    public init(
        endpoint: ControllerEndpoint, maxConcurrentDeliveries: Int = 8, pollInterval: TimeInterval = 1,
        backoff: DeliveryBackoff = DeliveryBackoff(), rejectedRetryInterval: TimeInterval = 300,
        maxRetryAfter: TimeInterval = 600, recoveryResetInterval: TimeInterval = 10
    ) throws(ReporterError) {
        guard maxConcurrentDeliveries >= 1 else {
            throw .invalidConfiguration(detail: "maxConcurrentDeliveries must be at least 1, got \(maxConcurrentDeliveries)")
        }
        for (name, value) in [
            ("pollInterval", pollInterval), ("rejectedRetryInterval", rejectedRetryInterval),
            ("maxRetryAfter", maxRetryAfter), ("recoveryResetInterval", recoveryResetInterval), ("backoff.initial", backoff.initial),
            ("backoff.maximum", backoff.maximum),
        ] where !(value > 0 && value.isFinite) {
            throw .invalidConfiguration(detail: "\(name) must be a positive number of seconds, got \(value)")
        }
        guard backoff.initial <= backoff.maximum else {
            throw .invalidConfiguration(detail: "backoff.initial (\(backoff.initial) s) exceeds backoff.maximum (\(backoff.maximum) s)")
        }
        self.endpoint = endpoint
        self.maxConcurrentDeliveries = maxConcurrentDeliveries
        self.pollInterval = pollInterval
        self.backoff = backoff
        self.rejectedRetryInterval = rejectedRetryInterval
        self.maxRetryAfter = maxRetryAfter
        self.recoveryResetInterval = recoveryResetInterval
    }
}

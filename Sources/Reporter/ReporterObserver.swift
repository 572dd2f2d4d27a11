/// Receives the reporters' observations, for metrics. Called from the reporters' tasks, never while
/// holding a lock of theirs; keep the implementation quick and non-blocking. Every method has an
/// empty default.
public protocol ReporterObserver: Sendable {
    /// A pod status was accepted by the controller; `latency` is in seconds, from the status's
    /// enqueue (`OutboxRecord.enqueuedAt`) to the 2xx response.
    func statusDelivered(latency: Double)
    /// One delivery attempt of a pod status failed.
    func statusDeliveryFailed(kind: DeliveryFailureKind)
    /// A node heartbeat finished: `failure` is nil on success.
    func heartbeatFinished(failure: DeliveryFailureKind?)
}

extension ReporterObserver {
    public func statusDelivered(latency: Double) {}
    public func statusDeliveryFailed(kind: DeliveryFailureKind) {}
    public func heartbeatFinished(failure: DeliveryFailureKind?) {}
}

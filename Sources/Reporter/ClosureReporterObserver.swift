/// A `ReporterObserver` made of closures.
public struct ClosureReporterObserver: ReporterObserver {
    public var onDelivered: @Sendable (Double) -> Void
    public var onFailed: @Sendable (DeliveryFailureKind) -> Void
    public var onHeartbeat: @Sendable (DeliveryFailureKind?) -> Void

    public init(
        onDelivered: @escaping @Sendable (Double) -> Void = { _ in },
        onFailed: @escaping @Sendable (DeliveryFailureKind) -> Void = { _ in },
        onHeartbeat: @escaping @Sendable (DeliveryFailureKind?) -> Void = { _ in }
    ) {
        self.onDelivered = onDelivered
        self.onFailed = onFailed
        self.onHeartbeat = onHeartbeat
    }

    public func statusDelivered(latency: Double) { onDelivered(latency) }
    public func statusDeliveryFailed(kind: DeliveryFailureKind) { onFailed(kind) }
    public func heartbeatFinished(failure: DeliveryFailureKind?) { onHeartbeat(failure) }
}

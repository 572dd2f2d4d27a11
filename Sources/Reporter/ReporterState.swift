import Foundation

/// A snapshot of `StatusReporter`'s delivery state, for `inplacectl status` and metrics.
/// Counters cover the reporter's life in this process.
public struct ReporterState: Sendable, Hashable {
    /// The controller's base URL.
    public var controllerURL: String
    /// When the controller last accepted a pod status.
    public var lastSuccessAt: Date?
    /// The last failure (delivery or store), e.g.
    /// `PATCH http://c/api/v1/namespaces/ns/pods/p/status: HTTP 500 Internal Server Error: ...`.
    public var lastError: String?
    /// When `lastError` happened.
    public var lastErrorAt: Date?
    /// Queued statuses (one per pod at most, due or backing off), as of the reporter's last look at
    /// the store (at most one poll interval old while the reporter runs).
    public var queueDepth: Int
    /// Statuses the controller accepted.
    public var delivered: Int
    /// Failed delivery attempts (including batches refused for credentials, one per status).
    public var failed: Int
    /// Failed delivery attempts by kind.
    public var failuresByKind: [DeliveryFailureKind: Int]
    /// Requests in flight now.
    public var inFlight: Int

    public init(
        controllerURL: String, lastSuccessAt: Date? = nil, lastError: String? = nil, lastErrorAt: Date? = nil,
        queueDepth: Int = 0, delivered: Int = 0, failed: Int = 0,
        failuresByKind: [DeliveryFailureKind: Int] = [:], inFlight: Int = 0
    ) {
        self.controllerURL = controllerURL
        self.lastSuccessAt = lastSuccessAt
        self.lastError = lastError
        self.lastErrorAt = lastErrorAt
        self.queueDepth = queueDepth
        self.delivered = delivered
        self.failed = failed
        self.failuresByKind = failuresByKind
        self.inFlight = inFlight
    }

    /// True when the last outcome was a success (or nothing failed yet).
    public var isConnected: Bool {
        guard let lastErrorAt else { return true }
        guard let lastSuccessAt else { return false }
        return lastSuccessAt >= lastErrorAt
    }
}

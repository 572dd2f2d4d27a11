import Foundation
internal import GRDB

/// The newest pod status waiting to be delivered to the controller. Table `outbox`, one row per pod
/// (primary key `podUID`): a newer status replaces the queued one and gets the next `seq`.
/// Rows outlive their pod, so that a final status can still be delivered after `deletePod`.
public struct OutboxRecord: Sendable, Hashable {
    public var podUID: String
    public var namespace: String
    public var name: String
    /// Per-pod sequence number, strictly increasing over the pod's whole life (also across
    /// deliveries): the Reporter passes it back to `markDelivered` / `recordDeliveryFailure`.
    public var seq: Int64
    /// The PodStatus, as Kubernetes JSON.
    public var statusJSON: String
    /// When the (newest) status was enqueued.
    public var enqueuedAt: Date
    /// Failed delivery attempts since the row was created (kept when a newer status replaces the payload).
    public var attempts: Int
    /// Do not deliver before this time (backoff); nil means due now.
    public var nextAttemptAt: Date?
    /// The last delivery error.
    public var lastError: String?

    public init(
        podUID: String, namespace: String, name: String, seq: Int64, statusJSON: String,
        enqueuedAt: Date, attempts: Int = 0, nextAttemptAt: Date? = nil, lastError: String? = nil
    ) {
        self.podUID = podUID
        self.namespace = namespace
        self.name = name
        self.seq = seq
        self.statusJSON = statusJSON
        self.enqueuedAt = enqueuedAt
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.lastError = lastError
    }
}

extension OutboxRecord {
    init(row: Row) throws {
        self.init(
            podUID: try row.decode(forColumn: "podUID"),
            namespace: try row.decode(forColumn: "namespace"),
            name: try row.decode(forColumn: "name"),
            seq: try row.decode(forColumn: "seq"),
            statusJSON: try row.decode(forColumn: "statusJSON"),
            enqueuedAt: try row.date("enqueuedAt"),
            attempts: try row.decode(forColumn: "attempts"),
            nextAttemptAt: try row.optionalDate("nextAttemptAt"),
            lastError: try row.decode(forColumn: "lastError"))
    }
}

import Foundation
internal import GRDB

/// A Kubernetes-style event about a pod (or one of its containers, through `fieldPath`).
/// Table `events`, primary key `id`. Identical events are aggregated (`count`), see
/// `StoreTransaction.appendEvent`. Events outlive their pod (as apiserver events do) and are pruned
/// by count: `StoreOptions.maxEventsPerPod` per pod, `StoreOptions.maxEvents` in all.
public struct EventRecord: Sendable, Hashable {
    /// Assigned by the store; ignored by `appendEvent`.
    public var id: Int64?
    public var podUID: String
    public var namespace: String
    public var podName: String
    /// involvedObject.fieldPath, e.g. `"spec.containers{app}"`; nil for the pod itself.
    public var fieldPath: String?
    /// `"Normal"` or `"Warning"`.
    public var type: String
    /// A CamelCase reason, e.g. `"Pulled"`, `"BackOff"`.
    public var reason: String
    public var message: String
    /// How many times this event happened (aggregated).
    public var count: Int
    public var firstTimestamp: Date
    public var lastTimestamp: Date

    public init(
        id: Int64? = nil, podUID: String, namespace: String, podName: String, fieldPath: String? = nil,
        type: String = "Normal", reason: String, message: String, count: Int = 1,
        firstTimestamp: Date = Date(), lastTimestamp: Date? = nil
    ) {
        self.id = id
        self.podUID = podUID
        self.namespace = namespace
        self.podName = podName
        self.fieldPath = fieldPath
        self.type = type
        self.reason = reason
        self.message = message
        self.count = count
        self.firstTimestamp = firstTimestamp
        self.lastTimestamp = lastTimestamp ?? firstTimestamp
    }
}

extension EventRecord {
    init(row: Row) throws {
        self.init(
            id: try row.decode(forColumn: "id"),
            podUID: try row.decode(forColumn: "podUID"),
            namespace: try row.decode(forColumn: "namespace"),
            podName: try row.decode(forColumn: "podName"),
            fieldPath: try row.decode(forColumn: "fieldPath"),
            type: try row.decode(forColumn: "type"),
            reason: try row.decode(forColumn: "reason"),
            message: try row.decode(forColumn: "message"),
            count: try row.decode(forColumn: "count"),
            firstTimestamp: try row.date("firstTimestamp"),
            lastTimestamp: try row.date("lastTimestamp"))
    }
}

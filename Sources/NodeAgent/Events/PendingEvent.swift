import Foundation
import PodAPI
import StateStore

/// One event to write: in the same transaction as the step it reports.
public struct PendingEvent: Sendable {
    public var fieldPath: String?
    public var type: String
    public var reason: String
    public var message: String
    public init(container: String? = nil, type: String = "Normal", reason: String, message: String) {
        self.fieldPath = container.map { "spec.containers{\($0)}" }
        self.type = type
        self.reason = reason
        self.message = message
    }

    func record(podUID: String, namespace: String, name: String, at: Date) -> EventRecord {
        EventRecord(
            podUID: podUID, namespace: namespace, podName: name, fieldPath: fieldPath, type: type,
            reason: reason, message: message, count: 1, firstTimestamp: at, lastTimestamp: at)
    }
}

extension Event {
    /// The API form of a stored event; `node` becomes `source.host`.
    public init(_ r: EventRecord, node: String) {
        self.init(
            metadata: ObjectMeta(name: "\(r.podName).\(String(r.id ?? 0, radix: 16))", namespace: r.namespace),
            involvedObject: ObjectReference(namespace: r.namespace, name: r.podName, uid: r.podUID, fieldPath: r.fieldPath),
            reason: r.reason, message: r.message, type: r.type, count: Int32(clamping: r.count),
            firstTimestamp: Time(r.firstTimestamp), lastTimestamp: Time(r.lastTimestamp),
            source: EventSource(component: "inplaced", host: node))
    }
}

import Foundation

/// A core/v1 Event about a pod, as kubelet records them (`Pulling`, `Pulled`, `Created`,
/// `Started`, `Killing`, `BackOff`, ...).
public struct Event: Codable, Hashable, Sendable {
    public var apiVersion: String = "v1"
    public var kind: String = "Event"
    public var metadata: ObjectMeta
    public var involvedObject: ObjectReference
    public var reason: String
    public var message: String
    /// `Normal` or `Warning`.
    public var type: String
    public var count: Int32
    public var firstTimestamp: Time
    public var lastTimestamp: Time
    public var source: EventSource

    public init(
        metadata: ObjectMeta, involvedObject: ObjectReference, reason: String, message: String, type: String,
        count: Int32, firstTimestamp: Time, lastTimestamp: Time, source: EventSource
    ) {
        self.metadata = metadata
        self.involvedObject = involvedObject
        self.reason = reason
        self.message = message
        self.type = type
        self.count = count
        self.firstTimestamp = firstTimestamp
        self.lastTimestamp = lastTimestamp
        self.source = source
    }
}

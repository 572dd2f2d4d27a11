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

    public init(metadata: ObjectMeta, involvedObject: ObjectReference, reason: String, message: String, type: String,
                count: Int32, firstTimestamp: Time, lastTimestamp: Time, source: EventSource) {
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

/// A core/v1 ObjectReference; `fieldPath` is e.g. `spec.containers{app}` for a container event.
public struct ObjectReference: Codable, Hashable, Sendable {
    public var kind: String?
    public var namespace: String?
    public var name: String?
    public var uid: String?
    public var apiVersion: String?
    public var fieldPath: String?

    public init(kind: String? = "Pod", namespace: String?, name: String?, uid: String?, apiVersion: String? = "v1", fieldPath: String? = nil) {
        self.kind = kind
        self.namespace = namespace
        self.name = name
        self.uid = uid
        self.apiVersion = apiVersion
        self.fieldPath = fieldPath
    }
}

/// Who recorded an event: `component` `kubelet`-like (`inplaced`) and the node's name as `host`.
public struct EventSource: Codable, Hashable, Sendable {
    public var component: String?
    public var host: String?
    public init(component: String?, host: String?) { self.component = component; self.host = host }
}

/// A core/v1 EventList.
public struct EventList: Codable, Hashable, Sendable {
    public var apiVersion: String = "v1"
    public var kind: String = "EventList"
    public var metadata: ListMeta = ListMeta()
    public var items: [Event]
    public init(items: [Event]) { self.items = items }
}

import Foundation

/// A core/v1 Pod: what a manifest declares (`metadata`, `spec`) and what the agent observes
/// (`status`). JSON names are the Kubernetes API's.
public struct Pod: Codable, Hashable, Sendable {
    public var apiVersion: String
    public var kind: String
    public var metadata: ObjectMeta
    public var spec: PodSpec
    public var status: PodStatus?

    public init(apiVersion: String = "v1", kind: String = "Pod", metadata: ObjectMeta, spec: PodSpec, status: PodStatus? = nil) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }

    /// `namespace/name`, the pod's identity on this node.
    public var key: String { "\(metadata.namespace ?? "default")/\(metadata.name ?? "")" }
}

/// A core/v1 PodList, as `GET /v1/pods` answers.
public struct PodList: Codable, Hashable, Sendable {
    public var apiVersion: String = "v1"
    public var kind: String = "PodList"
    public var metadata: ListMeta = ListMeta()
    public var items: [Pod]

    public init(items: [Pod]) { self.items = items }
}

/// The `metadata` of a list; empty here.
public struct ListMeta: Codable, Hashable, Sendable {
    public var resourceVersion: String?
    public init() {}
}

/// A core/v1 ObjectMeta, with the fields a node agent reads or writes.
public struct ObjectMeta: Codable, Hashable, Sendable {
    public var name: String?
    public var generateName: String?
    public var namespace: String?
    public var uid: String?
    public var resourceVersion: String?
    public var generation: Int64?
    public var creationTimestamp: Time?
    public var deletionTimestamp: Time?
    public var deletionGracePeriodSeconds: Int64?
    public var labels: [String: String]?
    public var annotations: [String: String]?
    public var ownerReferences: JSONValue?
    public var finalizers: [String]?
    public var managedFields: JSONValue?

    public init(name: String? = nil, namespace: String? = nil, uid: String? = nil,
                labels: [String: String]? = nil, annotations: [String: String]? = nil) {
        self.name = name
        self.namespace = namespace
        self.uid = uid
        self.labels = labels
        self.annotations = annotations
    }
}

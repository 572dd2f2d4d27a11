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

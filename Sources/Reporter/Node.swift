import PodAPI

// The core/v1 Node subset that a node heartbeat carries, with the API's JSON names.

/// A core/v1 Node.
public struct Node: Codable, Hashable, Sendable {
    public var apiVersion: String = "v1"
    public var kind: String = "Node"
    public var metadata: ObjectMeta
    public var status: NodeStatus

    public init(metadata: ObjectMeta, status: NodeStatus) {
        self.metadata = metadata
        self.status = status
    }
}

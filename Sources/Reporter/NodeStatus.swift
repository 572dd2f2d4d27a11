import PodAPI

// The core/v1 Node subset that a node heartbeat carries, with the API's JSON names.

/// A core/v1 NodeStatus. `capacity` and `allocatable` map resource names to quantities
/// (`"pods": "110"`).
public struct NodeStatus: Codable, Hashable, Sendable {
    public var capacity: [String: String]?
    public var allocatable: [String: String]?
    public var conditions: [NodeCondition]?
    public var addresses: [NodeAddress]?
    public var nodeInfo: NodeSystemInfo?

    public init(
        capacity: [String: String]? = nil, allocatable: [String: String]? = nil,
        conditions: [NodeCondition]? = nil, addresses: [NodeAddress]? = nil, nodeInfo: NodeSystemInfo? = nil
    ) {
        self.capacity = capacity
        self.allocatable = allocatable
        self.conditions = conditions
        self.addresses = addresses
        self.nodeInfo = nodeInfo
    }
}

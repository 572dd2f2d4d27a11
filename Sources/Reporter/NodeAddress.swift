import PodAPI

// The core/v1 Node subset that a node heartbeat carries, with the API's JSON names.

/// A core/v1 NodeAddress (`type` is `Hostname`, `InternalIP`, ...).
public struct NodeAddress: Codable, Hashable, Sendable {
    public var type: String
    public var address: String

    public init(type: String, address: String) {
        self.type = type
        self.address = address
    }
}

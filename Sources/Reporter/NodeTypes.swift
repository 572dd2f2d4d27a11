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

/// A core/v1 NodeStatus. `capacity` and `allocatable` map resource names to quantities
/// (`"pods": "110"`).
public struct NodeStatus: Codable, Hashable, Sendable {
    public var capacity: [String: String]?
    public var allocatable: [String: String]?
    public var conditions: [NodeCondition]?
    public var addresses: [NodeAddress]?
    public var nodeInfo: NodeSystemInfo?

    public init(capacity: [String: String]? = nil, allocatable: [String: String]? = nil,
                conditions: [NodeCondition]? = nil, addresses: [NodeAddress]? = nil, nodeInfo: NodeSystemInfo? = nil) {
        self.capacity = capacity
        self.allocatable = allocatable
        self.conditions = conditions
        self.addresses = addresses
        self.nodeInfo = nodeInfo
    }
}

/// A core/v1 NodeCondition; `status` is `True`, `False` or `Unknown`.
public struct NodeCondition: Codable, Hashable, Sendable {
    public var type: String
    public var status: String
    public var lastHeartbeatTime: Time?
    public var lastTransitionTime: Time?
    public var reason: String?
    public var message: String?

    public init(type: String, status: String, lastHeartbeatTime: Time? = nil, lastTransitionTime: Time? = nil,
                reason: String? = nil, message: String? = nil) {
        self.type = type
        self.status = status
        self.lastHeartbeatTime = lastHeartbeatTime
        self.lastTransitionTime = lastTransitionTime
        self.reason = reason
        self.message = message
    }
}

/// A core/v1 NodeAddress (`type` is `Hostname`, `InternalIP`, ...).
public struct NodeAddress: Codable, Hashable, Sendable {
    public var type: String
    public var address: String

    public init(type: String, address: String) {
        self.type = type
        self.address = address
    }
}

/// A core/v1 NodeSystemInfo. Every field is always present, as the API server renders it.
public struct NodeSystemInfo: Codable, Hashable, Sendable {
    public var machineID: String
    public var systemUUID: String
    public var bootID: String
    public var kernelVersion: String
    public var osImage: String
    /// `<runtime name>://<runtime version>`, e.g. `containerd://1.7.22`.
    public var containerRuntimeVersion: String
    /// The agent's version, `inplaced/<version>`.
    public var kubeletVersion: String
    /// Deprecated by Kubernetes; always empty.
    public var kubeProxyVersion: String
    /// `linux`.
    public var operatingSystem: String
    /// GOARCH naming: `amd64`, `arm64`, ...
    public var architecture: String

    public init(machineID: String = "", systemUUID: String = "", bootID: String = "", kernelVersion: String = "",
                osImage: String = "", containerRuntimeVersion: String, kubeletVersion: String,
                kubeProxyVersion: String = "", operatingSystem: String = "linux", architecture: String) {
        self.machineID = machineID
        self.systemUUID = systemUUID
        self.bootID = bootID
        self.kernelVersion = kernelVersion
        self.osImage = osImage
        self.containerRuntimeVersion = containerRuntimeVersion
        self.kubeletVersion = kubeletVersion
        self.kubeProxyVersion = kubeProxyVersion
        self.operatingSystem = operatingSystem
        self.architecture = architecture
    }
}

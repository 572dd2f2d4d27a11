import Foundation
import PodAPI

/// What the agent tells the node heartbeat, asked before each heartbeat.
public struct NodeHeartbeatInfo: Sendable, Hashable {
    /// Whether the node is ready (the runtime answers and the sync loop runs).
    public var ready: Bool
    /// Why the node is not ready (the Ready condition's message when `ready` is false).
    public var notReadyMessage: String?
    /// The runtime's name as in container IDs, e.g. `containerd` or `mock`.
    public var runtimeName: String
    /// The runtime's version, e.g. `1.7.22`.
    public var runtimeVersion: String
    /// The agent's version, e.g. `0.3.0` (sent as `inplaced/0.3.0`).
    public var agentVersion: String
    /// How many pods the node takes (capacity and allocatable `pods`; kubelet's default is 110).
    public var podCapacity: Int

    public init(ready: Bool, notReadyMessage: String? = nil, runtimeName: String, runtimeVersion: String,
                agentVersion: String, podCapacity: Int = 110) {
        self.ready = ready
        self.notReadyMessage = notReadyMessage
        self.runtimeName = runtimeName
        self.runtimeVersion = runtimeVersion
        self.agentVersion = agentVersion
        self.podCapacity = podCapacity
    }
}

/// Builds the Node object of a heartbeat, as kubelet's node status setters do for the fields
/// inplaced knows.
public enum NodeHeartbeat {
    /// The Node for `nodeName` at `now`. `readySince` is when the Ready condition last changed
    /// (its `lastTransitionTime`).
    public static func node(name nodeName: String, info: NodeHeartbeatInfo, host: HostInfo, now: Date,
                            readySince: Date) -> Node {
        let ready = info.ready
            ? NodeCondition(type: "Ready", status: "True", lastHeartbeatTime: Time(now),
                            lastTransitionTime: Time(readySince), reason: "KubeletReady",
                            message: "kubelet is posting ready status")
            : NodeCondition(type: "Ready", status: "False", lastHeartbeatTime: Time(now),
                            lastTransitionTime: Time(readySince), reason: "KubeletNotReady",
                            message: info.notReadyMessage ?? "the node agent is not ready")
        let pods = ["pods": String(info.podCapacity)]
        let systemInfo = NodeSystemInfo(
            machineID: host.machineID, systemUUID: host.systemUUID, bootID: host.bootID,
            kernelVersion: host.kernelVersion, osImage: host.osImage,
            containerRuntimeVersion: "\(info.runtimeName)://\(info.runtimeVersion)",
            kubeletVersion: "inplaced/\(info.agentVersion)",
            operatingSystem: host.operatingSystem, architecture: host.architecture)
        return Node(metadata: ObjectMeta(name: nodeName),
                    status: NodeStatus(capacity: pods, allocatable: pods, conditions: [ready], nodeInfo: systemInfo))
    }
}

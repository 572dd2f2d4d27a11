import Foundation
import PodAPI

/// Builds the Node object of a heartbeat, as kubelet's node status setters do for the fields
/// inplaced knows.
public enum NodeHeartbeat {
    /// The Node for `nodeName` at `now`. `readySince` is when the Ready condition last changed
    /// (its `lastTransitionTime`).
    public static func node(
        name nodeName: String, info: NodeHeartbeatInfo, host: HostInfo, now: Date,
        readySince: Date
    ) -> Node {
        let ready =
            info.ready
            ? NodeCondition(
                type: "Ready", status: "True", lastHeartbeatTime: Time(now),
                lastTransitionTime: Time(readySince), reason: "KubeletReady",
                message: "kubelet is posting ready status")
            : NodeCondition(
                type: "Ready", status: "False", lastHeartbeatTime: Time(now),
                lastTransitionTime: Time(readySince), reason: "KubeletNotReady",
                message: info.notReadyMessage ?? "the node agent is not ready")
        let pods = ["pods": String(info.podCapacity)]
        let systemInfo = NodeSystemInfo(
            machineID: host.machineID, systemUUID: host.systemUUID, bootID: host.bootID,
            kernelVersion: host.kernelVersion, osImage: host.osImage,
            containerRuntimeVersion: "\(info.runtimeName)://\(info.runtimeVersion)",
            kubeletVersion: "inplaced/\(info.agentVersion)",
            operatingSystem: host.operatingSystem, architecture: host.architecture)
        return Node(
            metadata: ObjectMeta(name: nodeName),
            status: NodeStatus(capacity: pods, allocatable: pods, conditions: [ready], nodeInfo: systemInfo))
    }
}

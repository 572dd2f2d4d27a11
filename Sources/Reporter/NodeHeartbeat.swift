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

extension NodeHeartbeat {
    /// The labels kubelet registers a node with: `kubernetes.io/hostname`, `kubernetes.io/os`,
    /// `kubernetes.io/arch` (Go's names: `linux`, `amd64`, `arm64`).
    public static func labels(nodeName: String, host: HostInfo) -> [String: String] {
        let arch: String
        switch host.architecture {
        case "x86_64": arch = "amd64"
        case "aarch64": arch = "arm64"
        default: arch = host.architecture
        }
        return ["kubernetes.io/hostname": nodeName, "kubernetes.io/os": host.operatingSystem, "kubernetes.io/arch": arch]
    }

    /// What decides whether the status changed: the Node without its heartbeat times.
    static func fingerprint(_ node: Node) -> String {
        var status = node.status
        status.conditions = status.conditions?.map { c in
            var c = c
            c.lastHeartbeatTime = nil
            return c
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return (try? encoder.encode(status)).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }
}

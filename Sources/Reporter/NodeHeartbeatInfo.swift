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

    public init(
        ready: Bool, notReadyMessage: String? = nil, runtimeName: String, runtimeVersion: String,
        agentVersion: String, podCapacity: Int = 110
    ) {
        self.ready = ready
        self.notReadyMessage = notReadyMessage
        self.runtimeName = runtimeName
        self.runtimeVersion = runtimeVersion
        self.agentVersion = agentVersion
        self.podCapacity = podCapacity
    }
}

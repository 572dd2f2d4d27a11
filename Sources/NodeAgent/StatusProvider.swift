import PodAPI

/// What the status socket reads from the agent. `NodeAgent` conforms; tests of the socket may
/// use a fake. All answers are snapshots; none blocks on the runtime.
public protocol PodStatusProvider: Sendable {
    /// Every pod on the node with its current status, sorted by namespace then name.
    func listPods() async -> [Pod]
    /// One pod with its status, or nil when the node has no such pod.
    func getPod(namespace: String, name: String) async -> Pod?
    /// The pod's in-place updates, oldest first; nil when the node has no such pod.
    func updateHistory(namespace: String, name: String) async -> [InPlaceUpdate]?
    /// Events, oldest first; of one pod when `namespace` and `name` are given.
    func events(namespace: String?, name: String?) async -> [Event]
    /// The agent's health and identity.
    func health() async -> AgentHealth
    /// The agent's metrics in the Prometheus text exposition format (version 0.0.4).
    func metricsText() async -> String
}

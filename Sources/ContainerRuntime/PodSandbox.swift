/// A sandbox as `ListPodSandbox` returns it.
public struct PodSandbox: Sendable, Hashable, Codable {
    public var id: String
    public var name: String
    public var namespace: String
    public var uid: String
    public var attempt: UInt32
    public var state: SandboxState
    /// Nanoseconds since the Unix epoch.
    public var createdAt: Int64
    public var labels: [String: String]
    public var annotations: [String: String]

    public init(
        id: String, name: String, namespace: String, uid: String, attempt: UInt32, state: SandboxState,
        createdAt: Int64, labels: [String: String], annotations: [String: String]
    ) {
        self.id = id
        self.name = name
        self.namespace = namespace
        self.uid = uid
        self.attempt = attempt
        self.state = state
        self.createdAt = createdAt
        self.labels = labels
        self.annotations = annotations
    }
}

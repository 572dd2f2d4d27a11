/// What a sandbox is created from (CRI `PodSandboxConfig`, the fields used here).
public struct PodSandboxConfig: Sendable, Hashable, Codable {
    /// Pod name, namespace and UID (CRI `PodSandboxMetadata`); `attempt` counts sandbox re-creations.
    public var name: String
    public var namespace: String
    public var uid: String
    public var attempt: UInt32
    public var hostname: String
    /// Directory of the pod's container logs, e.g. `/var/log/pods/<ns>_<name>_<uid>`.
    public var logDirectory: String
    public var labels: [String: String]
    public var annotations: [String: String]
    /// Share the node's network namespace (no CNI needed).
    public var hostNetwork: Bool

    public init(
        name: String, namespace: String, uid: String, attempt: UInt32 = 0, hostname: String = "",
        logDirectory: String = "", labels: [String: String] = [:], annotations: [String: String] = [:],
        hostNetwork: Bool = false
    ) {
        self.name = name
        self.namespace = namespace
        self.uid = uid
        self.attempt = attempt
        self.hostname = hostname
        self.logDirectory = logDirectory
        self.labels = labels
        self.annotations = annotations
        self.hostNetwork = hostNetwork
    }
}

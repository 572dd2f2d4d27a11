import ContainerRuntime

/// A sandbox as the mock keeps it (and persists it).
struct SandboxRecord: Sendable, Codable, Hashable {
    var id: String
    /// Creation order, for stable listing.
    var seq: Int
    var config: PodSandboxConfig
    var state: SandboxState
    /// Nanoseconds since the Unix epoch.
    var createdAt: Int64
    /// "" for host network.
    var ip: String
    /// containerd's `<name>_<namespace>_<uid>_<attempt>`, unique while the sandbox exists.
    var reservedName: String

    var sandbox: PodSandbox {
        PodSandbox(id: id, name: config.name, namespace: config.namespace, uid: config.uid, attempt: config.attempt,
                   state: state, createdAt: createdAt, labels: config.labels, annotations: config.annotations)
    }
}

/// A container as the mock keeps it (and persists it).
struct ContainerRecord: Sendable, Codable, Hashable {
    var id: String
    var seq: Int
    var sandboxID: String
    var config: ContainerConfig
    /// The node image (config digest) the container was created from, as containerd's
    /// `container.ImageRef`; kept even if the image is later removed.
    var imageID: String
    /// The sandbox log directory joined with the config's log path.
    var logPath: String
    /// containerd's `<name>_<pod>_<namespace>_<uid>_<attempt>`, unique while the container exists.
    var reservedName: String
    var state: RuntimeContainerState
    var createdAt: Int64
    var startedAt: Int64 = 0
    var finishedAt: Int64 = 0
    var exitCode: Int32 = 0
    var reason: String = ""
    var message: String = ""
    /// The `timeoutSeconds` of the last `StopContainer` call, nil if never stopped through CRI.
    var stopTimeoutSeconds: Int64?
}

/// An image on the node (and persisted).
struct ImageRecord: Sendable, Codable, Hashable {
    /// Config digest, `sha256:...`.
    var id: String
    var seq: Int
    /// Normalized `repo:tag` references, sorted as containerd's image store sorts them.
    var repoTags: [String]
    /// `repo@sha256:...` references, sorted likewise.
    var repoDigests: [String]
    var size: UInt64

    var image: RuntimeImage { RuntimeImage(id: id, repoTags: repoTags, repoDigests: repoDigests, size: size) }
}

/// Counters that make IDs, ordering and IPs deterministic (persisted so a reload never reuses them).
struct NodeCounters: Sendable, Codable, Hashable {
    var nextSandbox: UInt64 = 1
    var nextContainer: UInt64 = 1
    var nextSeq: Int = 1
    /// Offset of the next IP to try inside 10.88.0.0/16 (2 = 10.88.0.2; .1 is the bridge).
    var nextIPOffset: UInt32 = 2
}

/// The JSON document of the state file.
struct PersistedNodeState: Sendable, Codable {
    static let currentFormat = 1
    var format: Int
    var counters: NodeCounters
    var sandboxes: [SandboxRecord]
    var containers: [ContainerRecord]
    var images: [ImageRecord]
}

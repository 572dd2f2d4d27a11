import ContainerRuntime

/// A sandbox as the mock keeps it (and persists it), out of line (see ``OutOfLine``).
typealias SandboxRecord = OutOfLine<SandboxFields>

/// The fields of a ``SandboxRecord``.
struct SandboxFields: Sendable, Codable, Hashable {
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
        PodSandbox(
            id: id, name: config.name, namespace: config.namespace, uid: config.uid, attempt: config.attempt,
            state: state, createdAt: createdAt, labels: config.labels, annotations: config.annotations)
    }
}

import ContainerRuntime

/// A container as the mock keeps it (and persists it), out of line (see ``OutOfLine``).
typealias ContainerRecord = OutOfLine<ContainerFields>

/// The fields of a ``ContainerRecord``.
struct ContainerFields: Sendable, Codable, Hashable {
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

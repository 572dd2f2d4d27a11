/// What a container is created from (CRI `ContainerConfig`, the fields used here).
public struct ContainerConfig: Sendable, Hashable, Codable {
    /// Container name and attempt (CRI `ContainerMetadata`); attempt = restartCount, as kubelet sets it.
    public var name: String
    public var attempt: UInt32
    /// The image to run (CRI `ImageSpec.image`: the ref the pull returned).
    public var image: String
    /// The image string of the pod spec (CRI `ImageSpec.user_specified_image`).
    public var userSpecifiedImage: String
    public var command: [String]
    public var args: [String]
    public var workingDir: String
    public var envs: [KeyValue]
    public var mounts: [Mount]
    public var labels: [String: String]
    public var annotations: [String: String]
    /// Log path relative to the sandbox's log directory, e.g. `app/0.log`.
    public var logPath: String
    /// Signal name the runtime sends to stop the container (e.g. `SIGTERM`), "" for the image's default.
    public var stopSignal: String

    public init(
        name: String, attempt: UInt32 = 0, image: String, userSpecifiedImage: String = "",
        command: [String] = [], args: [String] = [], workingDir: String = "", envs: [KeyValue] = [],
        mounts: [Mount] = [], labels: [String: String] = [:], annotations: [String: String] = [:],
        logPath: String = "", stopSignal: String = ""
    ) {
        self.name = name
        self.attempt = attempt
        self.image = image
        self.userSpecifiedImage = userSpecifiedImage
        self.command = command
        self.args = args
        self.workingDir = workingDir
        self.envs = envs
        self.mounts = mounts
        self.labels = labels
        self.annotations = annotations
        self.logPath = logPath
        self.stopSignal = stopSignal
    }
}

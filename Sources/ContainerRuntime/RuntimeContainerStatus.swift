/// A container's full status (CRI `ContainerStatus`). Times are nanoseconds since the Unix
/// epoch, 0 when not reached.
public struct RuntimeContainerStatus: Sendable, Hashable, Codable {
    public var id: String
    public var name: String
    public var attempt: UInt32
    public var state: RuntimeContainerState
    public var createdAt: Int64
    public var startedAt: Int64
    public var finishedAt: Int64
    public var exitCode: Int32
    /// CRI `image.image`: on containerd the image's first repo tag, not necessarily the spec's (B7).
    public var image: String
    /// CRI `image_ref`: reported as `imageID`.
    public var imageRef: String
    /// `Completed`, `Error`, `OOMKilled`, ... once exited.
    public var reason: String
    public var message: String
    public var labels: [String: String]
    public var annotations: [String: String]
    public var logPath: String

    public init(
        id: String, name: String, attempt: UInt32, state: RuntimeContainerState, createdAt: Int64,
        startedAt: Int64 = 0, finishedAt: Int64 = 0, exitCode: Int32 = 0, image: String, imageRef: String,
        reason: String = "", message: String = "", labels: [String: String] = [:],
        annotations: [String: String] = [:], logPath: String = ""
    ) {
        self.id = id
        self.name = name
        self.attempt = attempt
        self.state = state
        self.createdAt = createdAt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.exitCode = exitCode
        self.image = image
        self.imageRef = imageRef
        self.reason = reason
        self.message = message
        self.labels = labels
        self.annotations = annotations
        self.logPath = logPath
    }
}

/// A container as `ListContainers` returns it (CRI `Container`).
public struct RuntimeContainer: Sendable, Hashable, Codable {
    public var id: String
    public var sandboxID: String
    public var name: String
    public var attempt: UInt32
    public var image: String
    /// CRI `Container.image_ref`. On containerd this is the image ID (`sha256:...`), not the repo
    /// digest: take `imageID` for status from ``RuntimeContainerStatus/imageRef`` instead.
    public var imageRef: String
    public var state: RuntimeContainerState
    /// Nanoseconds since the Unix epoch.
    public var createdAt: Int64
    public var labels: [String: String]
    public var annotations: [String: String]

    public init(
        id: String, sandboxID: String, name: String, attempt: UInt32, image: String, imageRef: String,
        state: RuntimeContainerState, createdAt: Int64, labels: [String: String], annotations: [String: String]
    ) {
        self.id = id
        self.sandboxID = sandboxID
        self.name = name
        self.attempt = attempt
        self.image = image
        self.imageRef = imageRef
        self.state = state
        self.createdAt = createdAt
        self.labels = labels
        self.annotations = annotations
    }
}

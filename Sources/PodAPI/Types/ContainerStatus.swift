import Foundation

/// A core/v1 ContainerStatus.
public struct ContainerStatus: Codable, Hashable, Sendable {
    public var name: String
    public var state: ContainerState
    public var lastState: ContainerState
    public var ready: Bool
    public var restartCount: Int32
    /// The image the spec names (bug case B7: never the runtime's first repo tag).
    public var image: String
    /// The runtime's image reference (CRI `image_ref`), e.g. `docker.io/library/nginx@sha256:...`.
    public var imageID: String
    /// `<runtime>://<id>`, e.g. `mock://0f3a...` or `containerd://...`; absent before creation.
    public var containerID: String?
    public var started: Bool?

    public init(
        name: String, state: ContainerState = ContainerState(), lastState: ContainerState = ContainerState(),
        ready: Bool = false, restartCount: Int32 = 0, image: String, imageID: String = "",
        containerID: String? = nil, started: Bool? = nil
    ) {
        self.name = name
        self.state = state
        self.lastState = lastState
        self.ready = ready
        self.restartCount = restartCount
        self.image = image
        self.imageID = imageID
        self.containerID = containerID
        self.started = started
    }
}

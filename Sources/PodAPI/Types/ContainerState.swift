import Foundation

/// A core/v1 ContainerState: at most one of `waiting`, `running`, `terminated` is set; an empty
/// state renders as `{}`.
public struct ContainerState: Codable, Hashable, Sendable {
    public var waiting: ContainerStateWaiting?
    public var running: ContainerStateRunning?
    public var terminated: ContainerStateTerminated?

    public init(waiting: ContainerStateWaiting? = nil, running: ContainerStateRunning? = nil, terminated: ContainerStateTerminated? = nil) {
        self.waiting = waiting
        self.running = running
        self.terminated = terminated
    }

    public var isEmpty: Bool { waiting == nil && running == nil && terminated == nil }
}

/// One change of a container or sandbox, as CRI's `ContainerEventResponse` from the
/// `GetContainerEvents` stream (kubelet's evented PLEG): which object, what happened, when, and
/// the pod it belongs to. An event about the sandbox itself carries the sandbox's ID as
/// `containerID` (as containerd sends it).
public struct ContainerEvent: Sendable, Hashable {
    /// CRI's `ContainerEventType`; raw values are CRI's enum names.
    public enum EventType: String, Sendable, Hashable {
        case created = "CONTAINER_CREATED_EVENT"
        case started = "CONTAINER_STARTED_EVENT"
        case stopped = "CONTAINER_STOPPED_EVENT"
        case deleted = "CONTAINER_DELETED_EVENT"
    }

    /// The container's ID, or the sandbox's for an event about the sandbox.
    public var containerID: String
    public var type: EventType
    /// When it happened, nanoseconds since the Unix epoch (CRI `created_at`).
    public var createdAt: Int64
    /// The sandbox the container runs in (the sandbox itself for a sandbox event).
    public var podSandboxID: String
    /// The pod's UID, from the sandbox's metadata (CRI `pod_sandbox_status.metadata.uid`).
    public var podUID: String

    /// Whether the event is about the sandbox rather than one of its containers.
    public var isSandbox: Bool { containerID == podSandboxID }

    public init(containerID: String, type: EventType, createdAt: Int64, podSandboxID: String, podUID: String) {
        self.containerID = containerID
        self.type = type
        self.createdAt = createdAt
        self.podSandboxID = podSandboxID
        self.podUID = podUID
    }
}

import Foundation

/// A core/v1 PodStatus, as kubelet reports it.
public struct PodStatus: Codable, Hashable, Sendable {
    /// `Pending`, `Running`, `Succeeded`, `Failed` or `Unknown`.
    public var phase: String?
    public var conditions: [PodCondition]?
    public var message: String?
    public var reason: String?
    public var hostIP: String?
    public var hostIPs: [HostIP]?
    public var podIP: String?
    public var podIPs: [PodIP]?
    public var startTime: Time?
    public var initContainerStatuses: [ContainerStatus]?
    public var containerStatuses: [ContainerStatus]?
    public var qosClass: String?

    public init(phase: String? = nil) { self.phase = phase }

    /// The condition of `type`, if present.
    public func condition(_ type: String) -> PodCondition? {
        conditions?.first { $0.type == type }
    }
}

/// One IP of the node (`status.hostIPs[*]`).
public struct HostIP: Codable, Hashable, Sendable {
    public var ip: String
    public init(ip: String) { self.ip = ip }
}

/// One IP of a pod (`status.podIPs[*]`).
public struct PodIP: Codable, Hashable, Sendable {
    public var ip: String
    public init(ip: String) { self.ip = ip }
}

/// A core/v1 PodCondition. `status` is `True`, `False` or `Unknown`.
public struct PodCondition: Codable, Hashable, Sendable {
    public var type: String
    public var status: String
    public var lastProbeTime: Time?
    public var lastTransitionTime: Time?
    public var reason: String?
    public var message: String?

    public init(type: String, status: String, lastTransitionTime: Time? = nil, reason: String? = nil, message: String? = nil) {
        self.type = type
        self.status = status
        self.lastTransitionTime = lastTransitionTime
        self.reason = reason
        self.message = message
    }

    // lastProbeTime is always written, as `null`, the way the API server renders it.
    enum CodingKeys: String, CodingKey { case type, status, lastProbeTime, lastTransitionTime, reason, message }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(type, forKey: .type)
        try c.encode(status, forKey: .status)
        if let p = lastProbeTime { try c.encode(p, forKey: .lastProbeTime) } else { try c.encodeNil(forKey: .lastProbeTime) }
        try c.encodeIfPresent(lastTransitionTime, forKey: .lastTransitionTime)
        try c.encodeIfPresent(reason, forKey: .reason)
        try c.encodeIfPresent(message, forKey: .message)
    }
}

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

    public init(name: String, state: ContainerState = ContainerState(), lastState: ContainerState = ContainerState(),
                ready: Bool = false, restartCount: Int32 = 0, image: String, imageID: String = "",
                containerID: String? = nil, started: Bool? = nil) {
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

public struct ContainerStateWaiting: Codable, Hashable, Sendable {
    public var reason: String?
    public var message: String?
    public init(reason: String?, message: String? = nil) { self.reason = reason; self.message = message }
}

public struct ContainerStateRunning: Codable, Hashable, Sendable {
    public var startedAt: Time?
    public init(startedAt: Time?) { self.startedAt = startedAt }
}

public struct ContainerStateTerminated: Codable, Hashable, Sendable {
    public var exitCode: Int32
    public var signal: Int32?
    /// `Completed` (exit 0), `Error`, `OOMKilled`, `ContainerStatusUnknown`, ...
    public var reason: String?
    public var message: String?
    public var startedAt: Time?
    public var finishedAt: Time?
    public var containerID: String?

    public init(exitCode: Int32, signal: Int32? = nil, reason: String? = nil, message: String? = nil,
                startedAt: Time? = nil, finishedAt: Time? = nil, containerID: String? = nil) {
        self.exitCode = exitCode
        self.signal = signal
        self.reason = reason
        self.message = message
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.containerID = containerID
    }
}

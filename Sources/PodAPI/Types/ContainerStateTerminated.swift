import Foundation

public struct ContainerStateTerminated: Codable, Hashable, Sendable {
    public var exitCode: Int32
    public var signal: Int32?
    /// `Completed` (exit 0), `Error`, `OOMKilled`, `ContainerStatusUnknown`, ...
    public var reason: String?
    public var message: String?
    public var startedAt: Time?
    public var finishedAt: Time?
    public var containerID: String?

    public init(
        exitCode: Int32, signal: Int32? = nil, reason: String? = nil, message: String? = nil,
        startedAt: Time? = nil, finishedAt: Time? = nil, containerID: String? = nil
    ) {
        self.exitCode = exitCode
        self.signal = signal
        self.reason = reason
        self.message = message
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.containerID = containerID
    }
}

import Foundation

/// How a container ended: core/v1 ContainerStateTerminated's fields. Dates are absolute times.
public struct ContainerTermination: Sendable, Hashable, Codable {
    public var exitCode: Int32
    public var signal: Int32?
    /// `Completed` (exit 0), `Error`, `OOMKilled`, `ContainerStatusUnknown`, `StartError`, ...
    public var reason: String?
    public var message: String?
    public var startedAt: Date?
    public var finishedAt: Date?
    /// `<runtime>://<id>` of the container that ended.
    public var containerID: String?

    public init(
        exitCode: Int32, signal: Int32? = nil, reason: String? = nil, message: String? = nil,
        startedAt: Date? = nil, finishedAt: Date? = nil, containerID: String? = nil
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

extension ContainerTermination {
    /// The JSON stored in the `lastTermination` column.
    var storeJSON: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(self)) ?? Data("{}".utf8), as: UTF8.self)
    }
}

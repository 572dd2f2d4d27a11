import Foundation

/// A snapshot of `NodeStatusReporter`'s heartbeat state.
public struct NodeHeartbeatState: Sendable, Hashable {
    /// The controller's base URL.
    public var controllerURL: String
    /// The node's name.
    public var nodeName: String
    /// When the controller last accepted a heartbeat.
    public var lastSuccessAt: Date?
    /// The last heartbeat failure.
    public var lastError: String?
    /// When `lastError` happened.
    public var lastErrorAt: Date?
    /// Heartbeats the controller accepted.
    public var sent: Int
    /// Heartbeats that failed.
    public var failed: Int

    public init(
        controllerURL: String, nodeName: String, lastSuccessAt: Date? = nil, lastError: String? = nil,
        lastErrorAt: Date? = nil, sent: Int = 0, failed: Int = 0
    ) {
        self.controllerURL = controllerURL
        self.nodeName = nodeName
        self.lastSuccessAt = lastSuccessAt
        self.lastError = lastError
        self.lastErrorAt = lastErrorAt
        self.sent = sent
        self.failed = failed
    }
}

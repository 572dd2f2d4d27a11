/// The state of status delivery to the controller, for `inplacectl status`.
public struct ControllerConnection: Codable, Hashable, Sendable {
    public var url: String
    public var lastSuccess: Time?
    public var lastError: String?
    public var lastErrorTime: Time?
    /// Pods whose newest status waits for delivery.
    public var queueDepth: Int
    public var delivered: Int
    public var failed: Int
    /// Node heartbeats (`PUT /api/v1/nodes/{node}/status`) sent and failed.
    public var heartbeatsSent: Int
    public var heartbeatsFailed: Int
    public var lastHeartbeat: Time?

    public init(
        url: String, lastSuccess: Time?, lastError: String?, lastErrorTime: Time?, queueDepth: Int,
        delivered: Int, failed: Int, heartbeatsSent: Int, heartbeatsFailed: Int, lastHeartbeat: Time?
    ) {
        self.url = url
        self.lastSuccess = lastSuccess
        self.lastError = lastError
        self.lastErrorTime = lastErrorTime
        self.queueDepth = queueDepth
        self.delivered = delivered
        self.failed = failed
        self.heartbeatsSent = heartbeatsSent
        self.heartbeatsFailed = heartbeatsFailed
        self.lastHeartbeat = lastHeartbeat
    }
}

/// One in-place update of one container, as the status socket serves it
/// (`GET /v1/pods/{namespace}/{name}/updates`) and `inplacectl describe` prints it.
public struct InPlaceUpdate: Codable, Hashable, Sendable {
    /// The steps of docs/design.md ("The in-place update in eight steps"), in order; `completed`
    /// and `failed` are terminal.
    public enum Step: String, Codable, Sendable, CaseIterable {
        case detected = "Detected"
        case prePulling = "PrePulling"
        case gateClosed = "GateClosed"
        case grace = "Grace"
        case stopped = "Stopped"
        case started = "Started"
        case verified = "Verified"
        case completed = "Completed"
        case failed = "Failed"
    }

    /// One step reached, with when (RFC 3339).
    public struct StepTime: Codable, Hashable, Sendable {
        public var step: Step
        public var time: Time
        public var message: String?
        public init(step: Step, time: Time, message: String? = nil) { self.step = step; self.time = time; self.message = message }
    }

    public var id: Int64
    public var container: String
    public var fromImage: String
    public var toImage: String
    public var oldContainerID: String?
    public var newContainerID: String?
    public var oldImageID: String?
    public var newImageID: String?
    public var step: Step
    public var startedAt: Time
    public var finishedAt: Time?
    public var message: String?
    public var history: [StepTime]

    public init(id: Int64, container: String, fromImage: String, toImage: String, oldContainerID: String? = nil,
                newContainerID: String? = nil, oldImageID: String? = nil, newImageID: String? = nil, step: Step,
                startedAt: Time, finishedAt: Time? = nil, message: String? = nil, history: [StepTime] = []) {
        self.id = id
        self.container = container
        self.fromImage = fromImage
        self.toImage = toImage
        self.oldContainerID = oldContainerID
        self.newContainerID = newContainerID
        self.oldImageID = oldImageID
        self.newImageID = newImageID
        self.step = step
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.message = message
        self.history = history
    }
}

/// `GET /healthz` and `inplacectl status`: the agent's own state.
public struct AgentHealth: Codable, Hashable, Sendable {
    public var status: String
    public var nodeName: String
    public var runtimeName: String
    public var runtimeVersion: String
    public var version: String
    public var pods: Int
    /// Seconds since the relister last completed a pass.
    public var secondsSinceRelist: Double?
    /// Manifest files rejected at the last scan, with the error that names file, document and field.
    public var manifestErrors: [ManifestError]
    /// Warnings of the last scan that did not stop a pod (unknown fields, empty files).
    public var manifestWarnings: [String]?
    /// Pods by phase (`Pending`, `Running`, `Succeeded`, `Failed`).
    public var podsByPhase: [String: Int]?
    /// Delivery to the controller endpoint; nil when no controller is configured.
    public var controller: ControllerConnection?

    public init(status: String, nodeName: String, runtimeName: String, runtimeVersion: String, version: String,
                pods: Int, secondsSinceRelist: Double?, manifestErrors: [ManifestError], manifestWarnings: [String]? = nil) {
        self.manifestWarnings = manifestWarnings
        self.status = status
        self.nodeName = nodeName
        self.runtimeName = runtimeName
        self.runtimeVersion = runtimeVersion
        self.version = version
        self.pods = pods
        self.secondsSinceRelist = secondsSinceRelist
        self.manifestErrors = manifestErrors
    }
}

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

    public init(url: String, lastSuccess: Time?, lastError: String?, lastErrorTime: Time?, queueDepth: Int,
                delivered: Int, failed: Int, heartbeatsSent: Int, heartbeatsFailed: Int, lastHeartbeat: Time?) {
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

/// A manifest that could not be applied: the file, the document index in it (0-based, nil for
/// the whole file) and the error in Kubernetes' wording (`spec.containers[0].image: Required value`).
public struct ManifestError: Codable, Hashable, Sendable, Error, CustomStringConvertible {
    public var file: String
    public var document: Int?
    public var message: String
    public init(file: String, document: Int?, message: String) {
        self.file = file
        self.document = document
        self.message = message
    }
    public var description: String {
        if let d = document { return "\(file) (document \(d)): \(message)" }
        return "\(file): \(message)"
    }
}

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
        public init(step: Step, time: Time, message: String? = nil) {
            self.step = step
            self.time = time
            self.message = message
        }
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

    public init(
        id: Int64, container: String, fromImage: String, toImage: String, oldContainerID: String? = nil,
        newContainerID: String? = nil, oldImageID: String? = nil, newImageID: String? = nil, step: Step,
        startedAt: Time, finishedAt: Time? = nil, message: String? = nil, history: [StepTime] = []
    ) {
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

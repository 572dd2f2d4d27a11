/// `GET /healthz` and `inplacectl status`: the agent's own state.
public struct AgentHealth: Codable, Hashable, Sendable {
    public var status: String
    public var nodeName: String
    public var runtimeName: String
    public var runtimeVersion: String
    public var version: String
    public var pods: Int
    /// Seconds since the relister last listed the runtime's containers.
    public var secondsSinceRelist: Double?
    /// How the agent notices runtime changes: `generic` (a relist every period, kubelet's generic
    /// PLEG) or `evented` (the runtime's container events, and a relist every 300 s).
    public var pleg: String?
    /// Manifest files rejected at the last scan, with the error that names file, document and field.
    public var manifestErrors: [ManifestError]
    /// Warnings of the last scan that did not stop a pod (unknown fields, empty files).
    public var manifestWarnings: [String]?
    /// Pods by phase (`Pending`, `Running`, `Succeeded`, `Failed`).
    public var podsByPhase: [String: Int]?
    /// Delivery to the controller endpoint; nil when no controller is configured.
    public var controller: ControllerConnection?
    /// The state store's newest refused write when none has succeeded since (a full disk, a
    /// read-only or vanished file): the error naming the operation. Nil while writes go through;
    /// when set, `status` is `unhealthy`.
    public var storeWriteError: String?
    public var storeWriteErrorTime: Time?
    /// Writes refused in a row since the last one that went through.
    public var storeWriteFailures: Int?

    public init(
        status: String, nodeName: String, runtimeName: String, runtimeVersion: String, version: String,
        pods: Int, secondsSinceRelist: Double?, manifestErrors: [ManifestError], manifestWarnings: [String]? = nil
    ) {
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

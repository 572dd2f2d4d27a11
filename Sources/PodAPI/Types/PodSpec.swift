import Foundation

/// A core/v1 PodSpec. The fields the agent acts on are typed; every other field the API knows
/// (volumes, affinity, securityContext, dnsPolicy, ...) is kept as raw JSON in `other`, so a pod
/// round-trips and two specs compare exactly as the API server compares them.
public struct PodSpec: Hashable, Sendable {
    public var containers: [Container]
    public var initContainers: [Container]?
    /// `Always` (default), `OnFailure` or `Never`.
    public var restartPolicy: String?
    /// Seconds the pod's containers get between SIGTERM and SIGKILL; defaulted to 30.
    public var terminationGracePeriodSeconds: Int64?
    /// Seconds the pod may be active on the node before it is failed with `DeadlineExceeded`.
    public var activeDeadlineSeconds: Int64?
    public var readinessGates: [PodReadinessGate]?
    public var tolerations: [JSONValue]?
    public var schedulingGates: [JSONValue]?
    public var hostNetwork: Bool?
    public var nodeName: String?
    /// Every other PodSpec field the API defines, by its JSON name.
    public var other: [String: JSONValue]

    public init(
        containers: [Container], initContainers: [Container]? = nil, restartPolicy: String? = nil,
        terminationGracePeriodSeconds: Int64? = nil, activeDeadlineSeconds: Int64? = nil,
        readinessGates: [PodReadinessGate]? = nil, other: [String: JSONValue] = [:]
    ) {
        self.containers = containers
        self.initContainers = initContainers
        self.restartPolicy = restartPolicy
        self.terminationGracePeriodSeconds = terminationGracePeriodSeconds
        self.activeDeadlineSeconds = activeDeadlineSeconds
        self.readinessGates = readinessGates
        self.other = other
    }

    static let typedKeys: Set<String> = [
        "containers", "initContainers", "restartPolicy", "terminationGracePeriodSeconds",
        "activeDeadlineSeconds", "readinessGates", "tolerations", "schedulingGates", "hostNetwork", "nodeName",
    ]
}

extension PodSpec: Codable {
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        containers = try c.decodeIfPresent([Container].self, forKey: AnyCodingKey("containers")) ?? []
        initContainers = try c.decodeIfPresent([Container].self, forKey: AnyCodingKey("initContainers"))
        restartPolicy = try c.decodeIfPresent(String.self, forKey: AnyCodingKey("restartPolicy"))
        terminationGracePeriodSeconds = try c.decodeIfPresent(Int64.self, forKey: AnyCodingKey("terminationGracePeriodSeconds"))
        activeDeadlineSeconds = try c.decodeIfPresent(Int64.self, forKey: AnyCodingKey("activeDeadlineSeconds"))
        readinessGates = try c.decodeIfPresent([PodReadinessGate].self, forKey: AnyCodingKey("readinessGates"))
        tolerations = try c.decodeIfPresent([JSONValue].self, forKey: AnyCodingKey("tolerations"))
        schedulingGates = try c.decodeIfPresent([JSONValue].self, forKey: AnyCodingKey("schedulingGates"))
        hostNetwork = try c.decodeIfPresent(Bool.self, forKey: AnyCodingKey("hostNetwork"))
        nodeName = try c.decodeIfPresent(String.self, forKey: AnyCodingKey("nodeName"))
        other = try c.decodeBag(excluding: PodSpec.typedKeys)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: AnyCodingKey.self)
        try c.encode(containers, forKey: AnyCodingKey("containers"))
        try c.encodeIfPresent(initContainers, forKey: AnyCodingKey("initContainers"))
        try c.encodeIfPresent(restartPolicy, forKey: AnyCodingKey("restartPolicy"))
        try c.encodeIfPresent(terminationGracePeriodSeconds, forKey: AnyCodingKey("terminationGracePeriodSeconds"))
        try c.encodeIfPresent(activeDeadlineSeconds, forKey: AnyCodingKey("activeDeadlineSeconds"))
        try c.encodeIfPresent(readinessGates, forKey: AnyCodingKey("readinessGates"))
        try c.encodeIfPresent(tolerations, forKey: AnyCodingKey("tolerations"))
        try c.encodeIfPresent(schedulingGates, forKey: AnyCodingKey("schedulingGates"))
        try c.encodeIfPresent(hostNetwork, forKey: AnyCodingKey("hostNetwork"))
        try c.encodeIfPresent(nodeName, forKey: AnyCodingKey("nodeName"))
        try c.encodeBag(other)
    }
}

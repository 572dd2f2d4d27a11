import Foundation

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

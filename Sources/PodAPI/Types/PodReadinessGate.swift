import Foundation

/// A core/v1 PodReadinessGate: a condition type that must be True for the pod to be Ready.
public struct PodReadinessGate: Codable, Hashable, Sendable {
    public var conditionType: String
    public init(conditionType: String) { self.conditionType = conditionType }

    /// A gate without `conditionType` (or with null) decodes as Go's does, to the empty string, so
    /// that validation reports it (`spec.readinessGates[0].conditionType: Invalid value: ""`).
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        conditionType = try c.decodeIfPresent(String.self, forKey: .conditionType) ?? ""
    }
}

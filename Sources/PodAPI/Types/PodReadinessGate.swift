import Foundation

/// A core/v1 PodReadinessGate: a condition type that must be True for the pod to be Ready.
public struct PodReadinessGate: Codable, Hashable, Sendable {
    public var conditionType: String
    public init(conditionType: String) { self.conditionType = conditionType }
}

import Foundation
import PodAPI

/// Which of kubelet's container hash algorithms produced a stored hash. The store keeps the
/// algorithm with the hash, so changing the agent's algorithm never restarts a container whose
/// spec did not change (bug case B1).
public enum HashAlgorithm: String, Sendable, Codable, CaseIterable {
    /// kubelet 1.31 and later: FNV-1a 32 over the go-spew rendering of the JSON `{"image":..,"name":..}`.
    case nameImage = "v1.31-name-image"
    /// kubelet about 1.15 to 1.30: the same over the JSON of the whole defaulted Container, in Go
    /// struct field order with omitempty.
    case fullContainer = "v1.15-full-container"
}

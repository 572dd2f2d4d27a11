import ContainerRuntime

/// The JSON document of the state file.
struct PersistedNodeState: Sendable, Codable {
    static let currentFormat = 1
    var format: Int
    var counters: NodeCounters
    var sandboxes: [SandboxRecord]
    var containers: [ContainerRecord]
    var images: [ImageRecord]
}

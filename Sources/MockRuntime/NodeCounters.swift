import ContainerRuntime

/// Counters that make IDs, ordering and IPs deterministic (persisted so a reload never reuses them).
struct NodeCounters: Sendable, Codable, Hashable {
    var nextSandbox: UInt64 = 1
    var nextContainer: UInt64 = 1
    var nextSeq: Int = 1
    /// Offset of the next IP to try inside 10.88.0.0/16 (2 = 10.88.0.2; .1 is the bridge).
    var nextIPOffset: UInt32 = 2
}

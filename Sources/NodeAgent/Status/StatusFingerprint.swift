import Foundation

/// What a published status was generated from that can change outside the pod's worker: the
/// pod's record (a new desired spec, written by the agent) and the probe results. Everything
/// else a status reads is written by the worker itself, which publishes at the end of each pass;
/// so while the fingerprint is unchanged, the status at the start of a sync is the one cached.
struct StatusFingerprint: Hashable, Sendable {
    var recordUpdatedAt: Date
    var probes: [String: ContainerProbeStatus]
}

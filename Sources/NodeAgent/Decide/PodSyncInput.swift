import ContainerRuntime
import Foundation
import PodAPI
import Prober
import StateStore

/// Everything one decision about a pod reads: the desired spec, the stored records, what the
/// runtime was observed to hold, and the agent's own clocks (probe results, back-offs). Built by
/// the executor; the decision itself reads nothing else.
struct PodSyncInput: Sendable {
    var uid: String
    var pod: Pod
    /// `RuntimeConfigs.podSpecHash(pod.spec)`: the hash a sandbox made for this spec carries.
    var podSpecHash: String
    var record: PodRecord
    var containers: [String: ContainerRecord]
    /// Unfinished in-place updates by container name.
    var updates: [String: InPlaceUpdateRecord]
    var sandbox: SandboxRecord?
    var conditions: [ConditionRecord]
    var observed: RuntimeObservation
    /// The store may have lost (or never had) what the runtime runs for this pod: look for it.
    var needsReconcile: Bool
    /// The hash algorithm new containers are stamped with.
    var hashAlgorithm: HashAlgorithm
    /// The failed liveness or startup probe of each running container, by container name.
    var failedProbes: [String: ProbeKind] = [:]
    /// When a refused sandbox creation may be tried again (nil: not backing off).
    var sandboxBlockedUntil: Date?
    var now: Date
}

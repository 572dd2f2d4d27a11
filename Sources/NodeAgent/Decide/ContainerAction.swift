import ContainerRuntime
import Foundation
import Prober
import StateStore

/// What to do with one container, as kubelet decides per container in computePodActions.
enum ContainerAction: Equatable, Sendable {
    /// Nothing: it stays as it is (an exited container its restartPolicy does not restart).
    case none
    /// The store has no record of it but the runtime may run it (a lost store): adopt the newest
    /// container of this name by its labels, then decide again.
    case adopt
    /// Start the next container of this name (after back-off when it died or its pull failed).
    case start
    /// Its record says it was created and its start was never confirmed (an agent stopped
    /// between CreateContainer and StartContainer): finish that start, or make it anew.
    case resumeStart
    /// It runs (or was created: `startFirst` calls StartContainer): record what the runtime says.
    case keepRunning(startFirst: Bool)
    /// It runs with a spec whose hash changed: open an in-place update record and advance it.
    case beginInPlaceUpdate(startFirst: Bool)
    /// Its liveness or startup probe failed: kill it, then restart it unless `restart` is false
    /// (`restartPolicy: Never`).
    case killForProbe(ProbeKind, restart: Bool)
    /// It exited or the runtime lost it: record its termination, remove it, and start the next
    /// one when `restart` (its restartPolicy says so).
    case recordDeath(restart: Bool)
    /// An in-place update of it is under way: take its next step (``InPlaceStepAction``).
    case advanceInPlaceUpdate
    /// Its old container ended while its update waited (a failing pull, the grace period): end
    /// the update as Failed, record the termination, and start the next container from the
    /// desired spec when `restart`, as kubelet would restart it.
    case endUpdateAfterDeath(restart: Bool)
}

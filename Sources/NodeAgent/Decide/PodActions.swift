import ContainerRuntime
import Foundation
import Prober
import StateStore

/// What one sync of one pod must do, as kubelet's computePodActions returns it: computed by
/// ``PodDecisions/computePodActions(_:)`` from the desired spec, the stored records and what the
/// runtime was observed to hold, and carried out by the executors (``PodSyncer`` and the types it
/// hands narrow capabilities to). A value: it holds no reference to the runtime or the store.
struct PodActions: Equatable, Sendable {
    /// The pod as a whole.
    enum PodLevel: Equatable, Sendable {
        /// The pod has a terminal phase (Succeeded, Failed): stop whatever still runs, start nothing.
        case killTerminated
        /// `activeDeadlineSeconds` passed since `startTime`: fail the pod (`DeadlineExceeded`) and stop it.
        case failDeadline
        /// Go on with the sandbox and the containers.
        case proceed
    }

    /// The pod's sandbox.
    enum Sandbox: Equatable, Sendable {
        /// The recorded sandbox is ready and was made for this spec.
        case keep
        /// The store knows no sandbox and the runtime may still hold one (a lost store): look for
        /// one made for this spec by its labels, and create one (attempt 0) when none is there.
        case adoptElseCreate
        /// Make a new sandbox with metadata attempt `attempt`, after killing the containers of
        /// and removing `replacing` (gone, not ready, or made for another spec: `specChanged`,
        /// which also starts the containers over). `blockedUntil`: a refused creation is backing
        /// off until then; nothing is created before.
        case create(attempt: Int, replacing: SandboxRecord?, specChanged: Bool, blockedUntil: Date?)
    }

    /// The init containers, in order, as kubelet's computeInitContainerActions.
    enum InitContainers: Equatable, Sendable {
        /// Every init container finished (or, for a sidecar, runs): the regular containers go on.
        case done
        /// Act on one init container. `recheck`: once done, the next init container may be
        /// decided in this same sync (a sidecar that now runs, an init container that exited 0).
        case act(container: String, ContainerAction, recheck: Bool)
        /// An init container still runs, waits for its back-off, or failed under
        /// `restartPolicy: Never`: the regular containers wait.
        case blocked
    }

    var pod: PodLevel
    /// When the pod must be synced again at the latest (its active deadline).
    var wakeAt: Date?
    var sandbox: Sandbox
    /// Sidecars (restartable init containers) whose in-place update advances this sync while
    /// they keep a container, so the init containers after them go on.
    var sidecarUpdates: [String]
    var initContainers: InitContainers
    /// One action per regular container, in the spec's order.
    var containers: [NamedAction]
    /// Turn the `InPlaceUpdateReady` condition True (the pod declares the gate, no update runs,
    /// and it is not True yet), as OpenKruise does at creation and after an update.
    var openGate: Bool
    /// Remove the pod's containers and sandboxes no record names (left by a crash), once per
    /// agent run.
    var removeLeftovers: Bool

    struct NamedAction: Equatable, Sendable {
        var container: String
        var action: ContainerAction
    }
}

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
}

/// What the runtime was seen to hold for one pod at the start of a decision: the recorded
/// sandbox's state and the status of every recorded container ID. Built by the executor's
/// observation (PodSandboxStatus, ContainerStatus), read by the decision.
struct RuntimeObservation: Equatable, Sendable {
    enum SandboxState: Equatable, Sendable {
        /// The store records no sandbox.
        case unrecorded
        /// Ready, made for the spec whose hash is given (nil: no hash annotation).
        case ready(specHash: String?)
        /// Known to the runtime and not ready.
        case notReady
        /// The runtime no longer has it.
        case gone
    }

    var sandbox: SandboxState = .unrecorded
    /// ContainerStatus by container ID; a nil value: the runtime no longer has it.
    var containers: [String: RuntimeContainerStatus?] = [:]

    /// What was seen of `id`: `.some(nil)` when gone, nil when not observed.
    func container(_ id: String) -> RuntimeContainerStatus?? {
        containers[id]
    }
}

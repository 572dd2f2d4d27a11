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

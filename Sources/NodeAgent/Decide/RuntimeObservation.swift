import ContainerRuntime
import Foundation
import Prober
import StateStore

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

import ContainerRuntime
import Foundation
import Prober
import StateStore

/// What the runtime was seen to hold for one pod at the start of a decision: the recorded
/// sandbox's state, the status of every recorded container ID, and the images an in-place update
/// is about to pre-pull. Built by the executor's observation (PodSandboxStatus, ContainerStatus,
/// ImageStatus), read by the decision and its executors.
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
    /// ImageStatus by image as the spec names it, for the images of
    /// ``PodDecisions/imagesToLookAt(_:containers:updates:algorithm:now:)``; a nil value: not on the
    /// node. Taken (once) by the pre-pull's ``ImagePuller`` instead of its own call; an image
    /// whose look failed is absent, and the puller asks the runtime itself.
    var images: [String: RuntimeImage?] = [:]

    /// What was seen of `id`: `.some(nil)` when gone, nil when not observed.
    func container(_ id: String) -> RuntimeContainerStatus?? {
        containers[id]
    }
}

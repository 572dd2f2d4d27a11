import ContainerRuntime
import Foundation
import PodAPI
import StateStore

/// The result of syncing one pod.
struct SyncOutcome: Sendable {
    /// When the pod needs its next sync without an outside trigger (back-off, grace, deadline).
    var wakeAt: Date?
    /// The pod is gone (deleted); its worker ends.
    var gone: Bool = false
}

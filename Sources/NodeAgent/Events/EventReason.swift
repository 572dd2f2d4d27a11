import Foundation
import PodAPI
import StateStore

/// Event reasons and messages as kubelet records them.
public enum EventReason {
    public static let pulling = "Pulling"
    public static let pulled = "Pulled"
    public static let created = "Created"
    public static let started = "Started"
    public static let killing = "Killing"
    public static let failed = "Failed"
    public static let backOff = "BackOff"
    public static let sandboxChanged = "SandboxChanged"
    public static let failedCreatePodSandBox = "FailedCreatePodSandBox"
    public static let deadlineExceeded = "DeadlineExceeded"
    public static let failedSync = "FailedSync"
    public static let successfulInPlace = "SuccessfulUpdatePodInPlace"
    public static let failedInPlace = "FailedUpdatePodInPlace"
    public static let inPlaceRejected = "FailedUpdatePodInPlace"
    public static let recreate = "SuccessfulUpdatePodReCreate"
    /// A failed (or errored) probe: `Liveness probe failed: <output>`, Warning.
    public static let unhealthy = "Unhealthy"
}

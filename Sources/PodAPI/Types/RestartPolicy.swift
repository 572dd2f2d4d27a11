/// A pod's `spec.restartPolicy` (core/v1 RestartPolicy). The spec keeps the string as written
/// (validation reports an unknown one in the API server's words); the agent decides with this.
public enum RestartPolicy: String, Sendable, Hashable, CaseIterable {
    case always = "Always"
    case onFailure = "OnFailure"
    case never = "Never"

    /// Whether a container that ended with `exitCode` starts again, as kubelet's
    /// ShouldContainerBeRestarted: Always restarts, OnFailure restarts a non-zero exit, Never never.
    public func restarts(exitCode: Int32) -> Bool {
        switch self {
        case .always: return true
        case .onFailure: return exitCode != 0
        case .never: return false
        }
    }
}

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

/// A container's `imagePullPolicy` (core/v1 PullPolicy).
public enum PullPolicy: String, Sendable, Hashable, CaseIterable {
    case always = "Always"
    case ifNotPresent = "IfNotPresent"
    case never = "Never"
}

extension PodSpec {
    /// `restartPolicy` as the API server defaults it: `Always` when unset (or not one of the three,
    /// which validation refuses before a pod gets here).
    public var effectiveRestartPolicy: RestartPolicy {
        restartPolicy.flatMap(RestartPolicy.init(rawValue:)) ?? .always
    }
}

extension Container {
    /// Whether this is a restartable init container (`restartPolicy: Always` on an init
    /// container: a sidecar, kubelet 1.29+).
    public var isSidecar: Bool { other["restartPolicy"]?.stringValue == "Always" }
}

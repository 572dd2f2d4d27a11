/// The three probe types, each named as kubelet names them in events (`Liveness probe failed: ...`).
public enum ProbeKind: String, Sendable, Hashable, CaseIterable {
    case startup = "Startup"
    case readiness = "Readiness"
    case liveness = "Liveness"

    /// The container field that holds this probe (`livenessProbe`, ...).
    public var fieldName: String {
        switch self {
        case .startup: return "startupProbe"
        case .readiness: return "readinessProbe"
        case .liveness: return "livenessProbe"
        }
    }

    /// The result a new container starts with: readiness Failure, liveness Success, startup Unknown.
    public var initialResult: ProbeResult {
        switch self {
        case .startup: return .unknown
        case .readiness: return .failure
        case .liveness: return .success
        }
    }
}

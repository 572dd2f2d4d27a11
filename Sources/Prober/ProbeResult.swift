/// What one run of a probe handler found, as kubelet's `probe.Result` with its output and error.
public enum ProbeOutcome: Sendable, Hashable {
    /// The check passed; the output (an exec probe's combined stdout and stderr, an HTTP body
    /// prefix) is informational.
    case success(output: String)
    /// The check failed; `output` is what kubelet puts after `<Kind> probe failed: `
    /// (`HTTP probe failed with statuscode: 500`, a dial error, an exec probe's output).
    case failure(output: String)
    /// The probe could not be run (a named port that does not exist, a runtime error); kubelet
    /// counts it as a failure and says `<Kind> probe errored and resulted in unknown state: <message>`.
    case error(message: String)
    /// The probe kind is not supported here (grpc); it is never run and never counts.
    case unsupported(message: String)

    /// Whether this counts as a success for the thresholds.
    public var isSuccess: Bool {
        if case .success = self { return true }
        return false
    }
}

/// The result a probe worker holds for a container, as kubelet's `results.Result`.
public enum ProbeResult: String, Sendable, Hashable {
    case success = "Success"
    case failure = "Failure"
    case unknown = "Unknown"
}

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

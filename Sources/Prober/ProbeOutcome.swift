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

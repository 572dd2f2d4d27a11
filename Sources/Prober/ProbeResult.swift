/// The result a probe worker holds for a container, as kubelet's `results.Result`.
public enum ProbeResult: String, Sendable, Hashable {
    case success = "Success"
    case failure = "Failure"
    case unknown = "Unknown"
}

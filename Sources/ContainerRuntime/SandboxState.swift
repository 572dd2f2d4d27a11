/// CRI `PodSandboxState`.
public enum SandboxState: String, Sendable, Hashable, Codable {
    case ready = "SANDBOX_READY"
    case notReady = "SANDBOX_NOTREADY"
}

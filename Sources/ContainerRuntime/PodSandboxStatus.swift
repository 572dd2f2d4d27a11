/// A sandbox's status (CRI `PodSandboxStatus`): the sandbox plus its IP ("" when host network
/// or not yet known).
public struct PodSandboxStatus: Sendable, Hashable, Codable {
    public var sandbox: PodSandbox
    public var ip: String
    public init(sandbox: PodSandbox, ip: String) {
        self.sandbox = sandbox
        self.ip = ip
    }
}

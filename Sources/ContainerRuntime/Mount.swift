/// A bind mount into a container (CRI `Mount`, the fields used here).
public struct Mount: Sendable, Hashable, Codable {
    public var containerPath: String
    public var hostPath: String
    public var readonly: Bool
    public init(containerPath: String, hostPath: String, readonly: Bool = false) {
        self.containerPath = containerPath
        self.hostPath = hostPath
        self.readonly = readonly
    }
}

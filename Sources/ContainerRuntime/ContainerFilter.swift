/// Which containers `listContainers` returns; nil fields match everything.
public struct ContainerFilter: Sendable, Hashable {
    public var id: String?
    public var state: RuntimeContainerState?
    public var sandboxID: String?
    public var labelSelector: [String: String]
    public init(id: String? = nil, state: RuntimeContainerState? = nil, sandboxID: String? = nil, labelSelector: [String: String] = [:]) {
        self.id = id
        self.state = state
        self.sandboxID = sandboxID
        self.labelSelector = labelSelector
    }
}

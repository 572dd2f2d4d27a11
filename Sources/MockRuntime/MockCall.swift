/// One ``RuntimeService`` call as the mock received it, in arrival order (recorded before any
/// latency or injected fault, so failed and still-pending calls are logged too).
public struct MockCall: Sendable, Hashable {
    public var method: MockMethod
    /// What the call was about:
    /// - sandbox and container calls: the object ID (`stopContainer` → the container ID);
    /// - `runPodSandbox`: `namespace/name` of the pod;
    /// - `createContainer`: the image of the config (`ContainerConfig.image`);
    /// - `pullImage`, `imageStatus`: the image string as passed;
    /// - `listContainers`: the sandbox ID of the filter, or "";
    /// - `version`, `listPodSandboxes`, `listImages`: "".
    public var argument: String
    /// When the call arrived, nanoseconds since the Unix epoch (from the mock's clock).
    public var at: Int64

    public init(method: MockMethod, argument: String, at: Int64) {
        self.method = method
        self.argument = argument
        self.at = at
    }
}

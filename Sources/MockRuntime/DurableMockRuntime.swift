import ContainerRuntime

/// A ``MockRuntime`` whose every change is on disk before the call returns, as containerd's
/// state is: a runtime that outlives the agent. The daemon uses it so that an agent killed with
/// SIGKILL right after a call finds, on restart, exactly what that call did (a plain
/// ``MockRuntime`` batches its saves and may lose the last ~50 ms). Each change writes the whole
/// node state, so this suits a node of demo size, not the 5,000-pod benchmark.
public struct DurableMockRuntime: RuntimeService {
    public let mock: MockRuntime

    public init(_ mock: MockRuntime) { self.mock = mock }

    /// Runs the call `call` (its CRI name), then saves the node.
    /// - Throws: the call's error; when the node cannot be saved, `RuntimeError.failed(call:)`
    ///   saying why ("cannot save mock runtime state …: No space left on device").
    private func saved<T: Sendable>(_ call: String, _ body: () async throws -> T) async throws -> T {
        do {
            let v = try await body()
            try await mock.flush()
            return v
        } catch let error as MockRuntimeError {
            throw RuntimeError.failed(call: call, detail: error.description)
        } catch {
            try? await mock.flush()
            throw error
        }
    }

    public func version() async throws -> RuntimeVersion { try await mock.version() }
    public func runPodSandbox(_ config: PodSandboxConfig) async throws -> String {
        try await saved("RunPodSandbox") { try await mock.runPodSandbox(config) }
    }
    public func stopPodSandbox(id: String) async throws { try await saved("StopPodSandbox") { try await mock.stopPodSandbox(id: id) } }
    public func removePodSandbox(id: String) async throws {
        try await saved("RemovePodSandbox") { try await mock.removePodSandbox(id: id) }
    }
    public func podSandboxStatus(id: String) async throws -> PodSandboxStatus { try await mock.podSandboxStatus(id: id) }
    public func listPodSandboxes(labelSelector: [String: String]) async throws -> [PodSandbox] {
        try await mock.listPodSandboxes(labelSelector: labelSelector)
    }
    public func createContainer(sandboxID: String, config: ContainerConfig, sandboxConfig: PodSandboxConfig) async throws -> String {
        try await saved("CreateContainer") {
            try await mock.createContainer(sandboxID: sandboxID, config: config, sandboxConfig: sandboxConfig)
        }
    }
    public func startContainer(id: String) async throws { try await saved("StartContainer") { try await mock.startContainer(id: id) } }
    public func stopContainer(id: String, timeoutSeconds: Int64) async throws {
        try await saved("StopContainer") { try await mock.stopContainer(id: id, timeoutSeconds: timeoutSeconds) }
    }
    public func removeContainer(id: String) async throws { try await saved("RemoveContainer") { try await mock.removeContainer(id: id) } }
    public func listContainers(filter: ContainerFilter) async throws -> [RuntimeContainer] { try await mock.listContainers(filter: filter) }
    public func containerStatus(id: String) async throws -> RuntimeContainerStatus { try await mock.containerStatus(id: id) }
    public func execSync(id: String, command: [String], timeoutSeconds: Int64) async throws -> ExecResult {
        try await mock.execSync(id: id, command: command, timeoutSeconds: timeoutSeconds)
    }
    public func pullImage(_ image: String, sandboxConfig: PodSandboxConfig?) async throws -> String {
        try await saved("PullImage") { try await mock.pullImage(image, sandboxConfig: sandboxConfig) }
    }
    public func imageStatus(_ image: String) async throws -> RuntimeImage? { try await mock.imageStatus(image) }
    public func listImages() async throws -> [RuntimeImage] { try await mock.listImages() }
    public func containerEvents() async throws -> AsyncThrowingStream<ContainerEvent, any Error>? {
        try await mock.containerEvents()
    }
}

import ContainerRuntime
import Foundation

/// A ``RuntimeService`` that times every call of the runtime it wraps into ``AgentMetrics``
/// (`kubelet_runtime_operations_total`, `..._errors_total`, `..._duration_seconds`, labelled by
/// the CRI method name), as kubelet wraps its runtime and image services in instrumented ones.
/// Every call the agent, the relister and the prober make goes through it, so no call escapes
/// the metrics. Errors are rethrown unchanged.
public struct InstrumentedRuntime: RuntimeService {
    /// The runtime whose calls are measured.
    public let base: any RuntimeService
    let metrics: AgentMetrics

    public init(_ base: any RuntimeService, metrics: AgentMetrics) {
        self.base = base
        self.metrics = metrics
    }

    /// Runs `body`, recording its duration in seconds under `method`, and whether it threw.
    private func timed<T: Sendable>(_ method: String, _ body: () async throws -> T) async throws -> T {
        let start = ContinuousClock.now
        do {
            let value = try await body()
            metrics.observeRuntime(method: method, seconds: Self.seconds(since: start), failed: false)
            return value
        } catch {
            metrics.observeRuntime(method: method, seconds: Self.seconds(since: start), failed: true)
            throw error
        }
    }

    private static func seconds(since start: ContinuousClock.Instant) -> Double {
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    public func version() async throws -> RuntimeVersion {
        try await timed("Version") { try await base.version() }
    }

    public func runPodSandbox(_ config: PodSandboxConfig) async throws -> String {
        try await timed("RunPodSandbox") { try await base.runPodSandbox(config) }
    }

    public func stopPodSandbox(id: String) async throws {
        try await timed("StopPodSandbox") { try await base.stopPodSandbox(id: id) }
    }

    public func removePodSandbox(id: String) async throws {
        try await timed("RemovePodSandbox") { try await base.removePodSandbox(id: id) }
    }

    public func podSandboxStatus(id: String) async throws -> PodSandboxStatus {
        try await timed("PodSandboxStatus") { try await base.podSandboxStatus(id: id) }
    }

    public func listPodSandboxes(labelSelector: [String: String]) async throws -> [PodSandbox] {
        try await timed("ListPodSandbox") { try await base.listPodSandboxes(labelSelector: labelSelector) }
    }

    public func createContainer(sandboxID: String, config: ContainerConfig, sandboxConfig: PodSandboxConfig)
        async throws -> String
    {
        try await timed("CreateContainer") {
            try await base.createContainer(sandboxID: sandboxID, config: config, sandboxConfig: sandboxConfig)
        }
    }

    public func startContainer(id: String) async throws {
        try await timed("StartContainer") { try await base.startContainer(id: id) }
    }

    public func stopContainer(id: String, timeoutSeconds: Int64) async throws {
        try await timed("StopContainer") { try await base.stopContainer(id: id, timeoutSeconds: timeoutSeconds) }
    }

    public func removeContainer(id: String) async throws {
        try await timed("RemoveContainer") { try await base.removeContainer(id: id) }
    }

    public func listContainers(filter: ContainerFilter) async throws -> [RuntimeContainer] {
        try await timed("ListContainers") { try await base.listContainers(filter: filter) }
    }

    public func containerStatus(id: String) async throws -> RuntimeContainerStatus {
        try await timed("ContainerStatus") { try await base.containerStatus(id: id) }
    }

    public func execSync(id: String, command: [String], timeoutSeconds: Int64) async throws -> ExecResult {
        try await timed("ExecSync") { try await base.execSync(id: id, command: command, timeoutSeconds: timeoutSeconds) }
    }

    public func pullImage(_ image: String, sandboxConfig: PodSandboxConfig?) async throws -> String {
        try await timed("PullImage") { try await base.pullImage(image, sandboxConfig: sandboxConfig) }
    }

    public func imageStatus(_ image: String) async throws -> RuntimeImage? {
        try await timed("ImageStatus") { try await base.imageStatus(image) }
    }

    public func listImages() async throws -> [RuntimeImage] {
        try await timed("ListImages") { try await base.listImages() }
    }

    public func containerEvents() async throws -> AsyncThrowingStream<ContainerEvent, any Error>? {
        try await timed("GetContainerEvents") { try await base.containerEvents() }
    }
}

import ContainerRuntime
import Synchronization

/// A ``ContainerRuntime/RuntimeService`` that forwards every call to another one and, while
/// ``record(_:)`` is on, keeps each call's name and monotonic start and end: the agent's CRI
/// calls of one measured window, to compare with the raw floor.
final class TracingRuntime: RuntimeService {
    /// One CRI call the agent made.
    struct Call: Sendable {
        var name: String
        var start: ContinuousClock.Instant
        var end: ContinuousClock.Instant
    }

    let base: any RuntimeService
    private let state = Mutex<(on: Bool, calls: [Call])>((false, []))

    init(_ base: any RuntimeService) { self.base = base }

    /// Starts (clearing what was kept) or stops keeping calls.
    func record(_ on: Bool) {
        state.withLock {
            if on { $0.calls.removeAll() }
            $0.on = on
        }
    }

    /// The calls kept since ``record(_:)`` was turned on, by start time.
    var calls: [Call] { state.withLock { $0.calls }.sorted { $0.start < $1.start } }

    private func traced<T>(_ name: String, _ body: () async throws -> T) async throws -> T {
        let start = ContinuousClock.now
        defer {
            let end = ContinuousClock.now
            state.withLock { if $0.on { $0.calls.append(Call(name: name, start: start, end: end)) } }
        }
        return try await body()
    }

    func version() async throws -> RuntimeVersion { try await traced("Version") { try await base.version() } }
    func runPodSandbox(_ config: PodSandboxConfig) async throws -> String {
        try await traced("RunPodSandbox") { try await base.runPodSandbox(config) }
    }
    func stopPodSandbox(id: String) async throws { try await traced("StopPodSandbox") { try await base.stopPodSandbox(id: id) } }
    func removePodSandbox(id: String) async throws { try await traced("RemovePodSandbox") { try await base.removePodSandbox(id: id) } }
    func podSandboxStatus(id: String) async throws -> PodSandboxStatus {
        try await traced("PodSandboxStatus") { try await base.podSandboxStatus(id: id) }
    }
    func listPodSandboxes(labelSelector: [String: String]) async throws -> [PodSandbox] {
        try await traced("ListPodSandbox") { try await base.listPodSandboxes(labelSelector: labelSelector) }
    }
    func createContainer(sandboxID: String, config: ContainerConfig, sandboxConfig: PodSandboxConfig) async throws -> String {
        try await traced("CreateContainer") {
            try await base.createContainer(sandboxID: sandboxID, config: config, sandboxConfig: sandboxConfig)
        }
    }
    func startContainer(id: String) async throws { try await traced("StartContainer") { try await base.startContainer(id: id) } }
    func stopContainer(id: String, timeoutSeconds: Int64) async throws {
        try await traced("StopContainer") { try await base.stopContainer(id: id, timeoutSeconds: timeoutSeconds) }
    }
    func removeContainer(id: String) async throws { try await traced("RemoveContainer") { try await base.removeContainer(id: id) } }
    func listContainers(filter: ContainerFilter) async throws -> [RuntimeContainer] {
        try await traced("ListContainers") { try await base.listContainers(filter: filter) }
    }
    func containerStatus(id: String) async throws -> RuntimeContainerStatus {
        try await traced("ContainerStatus") { try await base.containerStatus(id: id) }
    }
    func execSync(id: String, command: [String], timeoutSeconds: Int64) async throws -> ExecResult {
        try await traced("ExecSync") { try await base.execSync(id: id, command: command, timeoutSeconds: timeoutSeconds) }
    }
    func pullImage(_ image: String, sandboxConfig: PodSandboxConfig?) async throws -> String {
        try await traced("PullImage") { try await base.pullImage(image, sandboxConfig: sandboxConfig) }
    }
    func imageStatus(_ image: String) async throws -> RuntimeImage? {
        try await traced("ImageStatus") { try await base.imageStatus(image) }
    }
    func listImages() async throws -> [RuntimeImage] { try await traced("ListImages") { try await base.listImages() } }
}

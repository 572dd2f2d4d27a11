/// The runtime shim: what the agent asks of a container runtime, shaped as CRI v1's
/// RuntimeService and ImageService so that a CRI client and an in-memory mock sit behind it alike
/// (as kubelet's `container.Runtime` has kuberuntime and a fake behind it).
///
/// Every method throws ``RuntimeError``: `.notFound` when the object is gone, `.unavailable` when
/// the runtime cannot be reached, `.failed` for any other refusal. Timestamps are nanoseconds since
/// the Unix epoch, as CRI carries them. Durations in parameters are seconds.
public protocol RuntimeService: Sendable {
    /// The runtime's name and version (CRI `Version`), e.g. `mock` / `0.1.0`; the name prefixes
    /// container IDs in status (`<name>://<id>`).
    func version() async throws -> RuntimeVersion

    // MARK: Sandboxes

    /// Creates and starts a pod sandbox (CRI `RunPodSandbox`); returns its ID.
    func runPodSandbox(_ config: PodSandboxConfig) async throws -> String
    /// Stops every container of the sandbox and the sandbox itself (CRI `StopPodSandbox`).
    /// Stopping a stopped or unknown sandbox succeeds, as CRI requires.
    func stopPodSandbox(id: String) async throws
    /// Removes the sandbox and its containers (CRI `RemovePodSandbox`); idempotent.
    func removePodSandbox(id: String) async throws
    /// The sandbox's state and IP (CRI `PodSandboxStatus`); throws `.notFound` when unknown.
    func podSandboxStatus(id: String) async throws -> PodSandboxStatus
    /// Sandboxes whose labels include every pair of `labelSelector` (CRI `ListPodSandbox`).
    func listPodSandboxes(labelSelector: [String: String]) async throws -> [PodSandbox]

    // MARK: Containers

    /// Creates a container in a sandbox (CRI `CreateContainer`); returns its ID. The container
    /// is in state `.created` until started.
    func createContainer(sandboxID: String, config: ContainerConfig, sandboxConfig: PodSandboxConfig) async throws -> String
    /// Starts a created container (CRI `StartContainer`).
    func startContainer(id: String) async throws
    /// Stops a container, giving it `timeoutSeconds` between the stop signal and SIGKILL
    /// (CRI `StopContainer`); stopping an exited container succeeds.
    func stopContainer(id: String, timeoutSeconds: Int64) async throws
    /// Removes a container (CRI `RemoveContainer`); removing an unknown container succeeds.
    func removeContainer(id: String) async throws
    /// Containers matching `filter` (CRI `ListContainers`).
    func listContainers(filter: ContainerFilter) async throws -> [RuntimeContainer]
    /// One container's full status (CRI `ContainerStatus`); throws `.notFound` when unknown.
    func containerStatus(id: String) async throws -> RuntimeContainerStatus
    /// Runs `command` in a running container and waits for it (CRI `ExecSync`), at most
    /// `timeoutSeconds` (0 = no limit).
    func execSync(id: String, command: [String], timeoutSeconds: Int64) async throws -> ExecResult

    // MARK: Images

    /// Pulls an image (CRI `PullImage`); returns the image reference (`image_ref`) it resolved to.
    func pullImage(_ image: String, sandboxConfig: PodSandboxConfig?) async throws -> String
    /// The image if present on the node, else nil (CRI `ImageStatus`).
    func imageStatus(_ image: String) async throws -> RuntimeImage?
    /// Every image on the node (CRI `ListImages`).
    func listImages() async throws -> [RuntimeImage]

    // MARK: Events

    /// Subscribes to the runtime's container and sandbox events (CRI `GetContainerEvents`, what
    /// kubelet's evented PLEG reads), or nil when the runtime offers none (the default; containerd
    /// before 1.7 answers the call `Unimplemented`). Events of changes made after this returns
    /// are delivered in order; the stream ends or throws when the runtime drops the subscriber.
    func containerEvents() async throws -> AsyncThrowingStream<ContainerEvent, any Error>?
}

extension RuntimeService {
    /// No event stream: the agent relists the runtime every period (kubelet's generic PLEG).
    public func containerEvents() async throws -> AsyncThrowingStream<ContainerEvent, any Error>? { nil }
}

import CRIProto
import ContainerRuntime

extension CRIRuntime {
    /// CRI `CreateContainer` in sandbox `sandboxID`. `sandboxConfig` must be the config the
    /// sandbox was run with: the runtime joins `config.logPath` to its log directory, and the
    /// container gets the pod's namespace options (as kubelet sets them). `config.image` goes to
    /// `ImageSpec.image`, `config.userSpecifiedImage` to `user_specified_image`, `config.stopSignal`
    /// to the CRI `Signal` enum (``StopSignal``).
    /// - Returns: the container ID.
    /// - Throws: `.notFound(call: "CreateContainer", kind: "sandbox", id:)` for an unknown sandbox;
    ///   `.failed` for an image not on the node (containerd: `failed to resolve image "…": not
    ///   found`), a taken name (`failed to reserve container name …`), an unknown stop signal, or
    ///   any other refusal; `.unavailable`.
    public func createContainer(sandboxID: String, config: ContainerConfig, sandboxConfig: PodSandboxConfig) async throws -> String {
        var request = Runtime_V1_CreateContainerRequest()
        request.podSandboxID = sandboxID
        request.config = try CRIConversions.containerConfig(config, sandbox: sandboxConfig)
        request.sandboxConfig = CRIConversions.sandboxConfig(sandboxConfig)
        let response = try await invoke("CreateContainer", deadline: timeouts.general, subject: .sandbox(sandboxID)) {
            connection, options in
            try await connection.runtime.createContainer(request, options: options)
        }
        return response.containerID
    }

    /// CRI `StartContainer`.
    /// - Throws: `.notFound(call: "StartContainer", kind: "container", id:)`; `.failed` when the
    ///   container is not in CONTAINER_CREATED or the process cannot start (the OCI runtime's
    ///   message); `.unavailable`.
    public func startContainer(id: String) async throws {
        var request = Runtime_V1_StartContainerRequest()
        request.containerID = id
        _ = try await invoke("StartContainer", deadline: timeouts.general, subject: .container(id)) { connection, options in
            try await connection.runtime.startContainer(request, options: options)
        }
    }

    /// CRI `StopContainer`: the stop signal, then SIGKILL after `timeoutSeconds` (seconds). The
    /// call's deadline is `timeoutSeconds + timeouts.stopContainerExtra`. Stopping an exited or
    /// created container succeeds.
    /// - Throws: `.notFound(call: "StopContainer", kind: "container", id:)`; `.unavailable`
    ///   (including the deadline), `.failed`.
    public func stopContainer(id: String, timeoutSeconds: Int64) async throws {
        var request = Runtime_V1_StopContainerRequest()
        request.containerID = id
        request.timeout = timeoutSeconds
        _ = try await invoke(
            "StopContainer", deadline: timeouts.stopContainer(timeoutSeconds: timeoutSeconds),
            subject: .container(id)
        ) { connection, options in
            try await connection.runtime.stopContainer(request, options: options)
        }
    }

    /// CRI `RemoveContainer` (the runtime kills it first if it runs). Idempotent: an unknown
    /// container succeeds, as the CRI contract says.
    /// - Throws: `.unavailable`, `.failed`.
    public func removeContainer(id: String) async throws {
        var request = Runtime_V1_RemoveContainerRequest()
        request.containerID = id
        try await invokeTreatingNotFoundAsDone("RemoveContainer", subject: .container(id)) { connection, options in
            try await connection.runtime.removeContainer(request, options: options)
        }
    }

    /// CRI `ListContainers` with `filter` (id, state, sandbox ID, label selector; nil fields
    /// unset). `imageRef` of each is CRI `Container.image_ref` (the image ID on containerd).
    /// Creation times in nanoseconds.
    /// - Throws: `.unavailable`, `.failed`.
    public func listContainers(filter: ContainerFilter) async throws -> [RuntimeContainer] {
        var request = Runtime_V1_ListContainersRequest()
        request.filter = CRIConversions.containerFilter(filter)
        let response = try await invoke("ListContainers", deadline: timeouts.general) { connection, options in
            try await connection.runtime.listContainers(request, options: options)
        }
        return response.containers.map(CRIConversions.container)
    }

    /// CRI `ContainerStatus` (not verbose). `image` is `image.image` (containerd: the image's
    /// first repo tag), `imageRef` is `image_ref` (containerd: the first repo digest, else the
    /// image ID), times in nanoseconds since the epoch (0 = not reached), `reason`/`message`/
    /// `exitCode` once exited, `logPath` absolute.
    /// - Throws: `.notFound(call: "ContainerStatus", kind: "container", id:)` only when the
    ///   container itself is unknown; a failure about its image (removed from the node) is
    ///   `.failed`; `.unavailable`.
    public func containerStatus(id: String) async throws -> RuntimeContainerStatus {
        var request = Runtime_V1_ContainerStatusRequest()
        request.containerID = id
        let response = try await invoke("ContainerStatus", deadline: timeouts.general, subject: .container(id)) { connection, options in
            try await connection.runtime.containerStatus(request, options: options)
        }
        guard response.hasStatus else {
            throw RuntimeError.failed(call: "ContainerStatus", detail: "the runtime returned no status for container \"\(id)\"")
        }
        return CRIConversions.containerStatus(response.status)
    }

    /// CRI `ExecSync`: runs `command` in the running container and waits, the runtime limiting it
    /// to `timeoutSeconds` (0 = no limit there); the call's deadline is ``CRITimeouts/execSync(timeoutSeconds:)``.
    /// Output is decoded as UTF-8, unmodified (a trailing newline stays). A non-zero exit is a
    /// result, not an error.
    /// - Throws: `.notFound(call: "ExecSync", kind: "container", id:)`; `.failed` when the
    ///   container is not running or the runtime's timeout hits; `.unavailable`.
    public func execSync(id: String, command: [String], timeoutSeconds: Int64) async throws -> ExecResult {
        var request = Runtime_V1_ExecSyncRequest()
        request.containerID = id
        request.cmd = command
        request.timeout = timeoutSeconds
        let response = try await invoke(
            "ExecSync", deadline: timeouts.execSync(timeoutSeconds: timeoutSeconds),
            subject: .container(id)
        ) { connection, options in
            try await connection.runtime.execSync(request, options: options)
        }
        return CRIConversions.execResult(response)
    }
}

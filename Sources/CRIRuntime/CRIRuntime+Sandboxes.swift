import CRIProto
import ContainerRuntime
import Foundation

extension CRIRuntime {
    /// CRI `RunPodSandbox` with the default runtime handler. Creates `config.logDirectory` first
    /// (`mkdir -p`, mode 0755) as kubelet does (`kuberuntime_sandbox.go` createPodSandbox), since
    /// the runtime writes container logs under it but does not create it. `hostNetwork` becomes
    /// `linux.security_context.namespace_options.network = NODE` (else POD), with PID CONTAINER
    /// and IPC POD (``CRIConversions/namespaceOptions(hostNetwork:)``).
    /// - Returns: the sandbox ID (64 hex on containerd).
    /// - Throws: `.failed` when the log directory cannot be created or the runtime refuses (on
    ///   containerd e.g. `failed to reserve sandbox name …`); `.unavailable` when unreachable.
    public func runPodSandbox(_ config: PodSandboxConfig) async throws -> String {
        if !config.logDirectory.isEmpty {
            do {
                try FileManager.default.createDirectory(
                    atPath: config.logDirectory, withIntermediateDirectories: true,
                    attributes: [.posixPermissions: 0o755])
            } catch {
                throw RuntimeError.failed(
                    call: "RunPodSandbox",
                    detail: "failed to create log directory \"\(config.logDirectory)\": \(error.localizedDescription)")
            }
        }
        var request = Runtime_V1_RunPodSandboxRequest()
        request.config = CRIConversions.sandboxConfig(config)
        let response = try await invoke("RunPodSandbox", deadline: timeouts.general) { connection, options in
            try await connection.runtime.runPodSandbox(request, options: options)
        }
        return response.podSandboxID
    }

    /// CRI `StopPodSandbox`: the runtime kills the sandbox's containers (no grace: kubelet stops
    /// them first) and the sandbox. A sandbox the runtime does not know counts as stopped, as the
    /// CRI contract says (idempotent).
    /// - Throws: `.unavailable`, `.failed`.
    public func stopPodSandbox(id: String) async throws {
        var request = Runtime_V1_StopPodSandboxRequest()
        request.podSandboxID = id
        try await invokeTreatingNotFoundAsDone("StopPodSandbox", subject: .sandbox(id)) { connection, options in
            try await connection.runtime.stopPodSandbox(request, options: options)
        }
    }

    /// CRI `RemovePodSandbox`: removes the sandbox and its containers (the runtime force-stops
    /// them). Idempotent: an unknown sandbox succeeds.
    /// - Throws: `.unavailable`, `.failed`.
    public func removePodSandbox(id: String) async throws {
        var request = Runtime_V1_RemovePodSandboxRequest()
        request.podSandboxID = id
        try await invokeTreatingNotFoundAsDone("RemovePodSandbox", subject: .sandbox(id)) { connection, options in
            try await connection.runtime.removePodSandbox(request, options: options)
        }
    }

    /// CRI `PodSandboxStatus` (not verbose): the sandbox, its state and `network.ip` ("" with host
    /// network). Created time in nanoseconds since the epoch.
    /// - Throws: `.notFound(call: "PodSandboxStatus", kind: "sandbox", id:)` for an unknown
    ///   sandbox (containerd: `an error occurred when try to find sandbox: not found`);
    ///   `.unavailable`, `.failed`.
    public func podSandboxStatus(id: String) async throws -> ContainerRuntime.PodSandboxStatus {
        var request = Runtime_V1_PodSandboxStatusRequest()
        request.podSandboxID = id
        let response = try await invoke("PodSandboxStatus", deadline: timeouts.general, subject: .sandbox(id)) { connection, options in
            try await connection.runtime.podSandboxStatus(request, options: options)
        }
        guard response.hasStatus else {
            throw RuntimeError.failed(call: "PodSandboxStatus", detail: "the runtime returned no status for sandbox \"\(id)\"")
        }
        return CRIConversions.podSandboxStatus(response.status)
    }

    /// CRI `ListPodSandbox` filtered by `labelSelector` (every pair must match), ready or not, in
    /// the runtime's order.
    /// - Throws: `.unavailable`, `.failed`.
    public func listPodSandboxes(labelSelector: [String: String]) async throws -> [PodSandbox] {
        var request = Runtime_V1_ListPodSandboxRequest()
        request.filter.labelSelector = labelSelector
        let response = try await invoke("ListPodSandbox", deadline: timeouts.general) { connection, options in
            try await connection.runtime.listPodSandbox(request, options: options)
        }
        return response.items.map(CRIConversions.podSandbox)
    }
}

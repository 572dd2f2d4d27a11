import CRIProto
import ContainerRuntime
import Foundation

/// The mapping between the shim's value types and CRI v1 messages, both ways. Public so tests and
/// tools can check what goes on the wire; the agent itself only calls ``CRIRuntime``.
public enum CRIConversions {
    // MARK: To CRI

    /// The namespaces kubelet asks for a plain pod (kuberuntime `namespacesForPod`): network NODE
    /// with `hostNetwork` else POD, PID CONTAINER (no `shareProcessNamespace`), IPC POD (no
    /// `hostIPC`). Kubelet gives every container of the pod the same options
    /// (`kuberuntime_container_linux.go`), and so does ``containerConfig(_:sandbox:)``.
    public static func namespaceOptions(hostNetwork: Bool) -> Runtime_V1_NamespaceOption {
        var options = Runtime_V1_NamespaceOption()
        options.network = hostNetwork ? .node : .pod
        options.pid = .container
        options.ipc = .pod
        return options
    }

    /// CRI `PodSandboxConfig`: metadata (name, uid, namespace, attempt), hostname, log directory,
    /// labels, annotations, and `linux.security_context.namespace_options` from `hostNetwork`.
    /// With `hostNetwork` the hostname is left empty, as kubelet does (`generatePodSandboxConfig`
    /// sets it only for pods with their own network): the pod shares the node's UTS namespace,
    /// and runc refuses to set a hostname there ("unable to set hostname without a private UTS
    /// namespace", seen on containerd 1.6.20 + runc 1.1.5).
    public static func sandboxConfig(_ config: PodSandboxConfig) -> Runtime_V1_PodSandboxConfig {
        var proto = Runtime_V1_PodSandboxConfig()
        proto.metadata.name = config.name
        proto.metadata.uid = config.uid
        proto.metadata.namespace = config.namespace
        proto.metadata.attempt = config.attempt
        proto.hostname = config.hostNetwork ? "" : config.hostname
        proto.logDirectory = config.logDirectory
        proto.labels = config.labels
        proto.annotations = config.annotations
        proto.linux.securityContext.namespaceOptions = namespaceOptions(hostNetwork: config.hostNetwork)
        return proto
    }

    /// CRI `ContainerConfig`: metadata (name, attempt), image (`image` and `user_specified_image`),
    /// command, args, working dir, envs, mounts (private propagation), labels, annotations, log path
    /// (relative to the sandbox's log directory), stop signal, and the pod's namespace options.
    /// - Throws: `.failed(call: "CreateContainer", …)` for a stop signal CRI has no value for.
    public static func containerConfig(_ config: ContainerConfig, sandbox: PodSandboxConfig) throws -> Runtime_V1_ContainerConfig {
        var proto = Runtime_V1_ContainerConfig()
        proto.metadata.name = config.name
        proto.metadata.attempt = config.attempt
        proto.image.image = config.image
        proto.image.userSpecifiedImage = config.userSpecifiedImage
        proto.command = config.command
        proto.args = config.args
        proto.workingDir = config.workingDir
        proto.envs = config.envs.map { pair in
            var kv = Runtime_V1_KeyValue()
            kv.key = pair.key
            kv.value = Data(pair.value.utf8)
            return kv
        }
        proto.mounts = config.mounts.map { mount in
            var m = Runtime_V1_Mount()
            m.containerPath = mount.containerPath
            m.hostPath = mount.hostPath
            m.readonly = mount.readonly
            m.propagation = .propagationPrivate
            return m
        }
        proto.labels = config.labels
        proto.annotations = config.annotations
        proto.logPath = config.logPath
        guard let signal = StopSignal.criSignal(named: config.stopSignal) else {
            throw RuntimeError.failed(call: "CreateContainer", detail: "unknown stop signal \"\(config.stopSignal)\"")
        }
        proto.stopSignal = signal
        proto.linux.securityContext.namespaceOptions = namespaceOptions(hostNetwork: sandbox.hostNetwork)
        return proto
    }

    /// CRI `ContainerFilter`; a nil field of `filter` is left unset (matches everything).
    public static func containerFilter(_ filter: ContainerFilter) -> Runtime_V1_ContainerFilter {
        var proto = Runtime_V1_ContainerFilter()
        if let id = filter.id { proto.id = id }
        if let state = filter.state { proto.state.state = containerState(state) }
        if let sandboxID = filter.sandboxID { proto.podSandboxID = sandboxID }
        proto.labelSelector = filter.labelSelector
        return proto
    }

    /// The CRI enum value of a container state (same names: `CONTAINER_RUNNING`, …).
    public static func containerState(_ state: RuntimeContainerState) -> Runtime_V1_ContainerState {
        switch state {
        case .created: return .containerCreated
        case .running: return .containerRunning
        case .exited: return .containerExited
        case .unknown: return .containerUnknown
        }
    }

    // MARK: From CRI

    /// A value outside the enum (a newer runtime) reads as `.unknown`.
    public static func containerState(_ state: Runtime_V1_ContainerState) -> RuntimeContainerState {
        switch state {
        case .containerCreated: return .created
        case .containerRunning: return .running
        case .containerExited: return .exited
        case .containerUnknown, .UNRECOGNIZED: return .unknown
        }
    }

    /// A value outside the enum reads as `.notReady`.
    public static func sandboxState(_ state: Runtime_V1_PodSandboxState) -> SandboxState {
        state == .sandboxReady ? .ready : .notReady
    }

    /// A `ListPodSandbox` item: metadata, state, creation time (ns), labels, annotations.
    public static func podSandbox(_ proto: Runtime_V1_PodSandbox) -> PodSandbox {
        PodSandbox(
            id: proto.id, name: proto.metadata.name, namespace: proto.metadata.namespace, uid: proto.metadata.uid,
            attempt: proto.metadata.attempt, state: sandboxState(proto.state), createdAt: proto.createdAt,
            labels: proto.labels, annotations: proto.annotations)
    }

    /// One `ContainerEventResponse`: the sandbox's ID and the pod's UID come from its
    /// `pod_sandbox_status` ("" when absent).
    public static func containerEvent(_ proto: Runtime_V1_ContainerEventResponse) -> ContainerEvent {
        let type: ContainerEvent.EventType
        switch proto.containerEventType {
        case .containerCreatedEvent: type = .created
        case .containerStartedEvent: type = .started
        case .containerStoppedEvent: type = .stopped
        case .containerDeletedEvent: type = .deleted
        case .UNRECOGNIZED: type = .stopped
        }
        return ContainerEvent(
            containerID: proto.containerID, type: type, createdAt: proto.createdAt,
            podSandboxID: proto.podSandboxStatus.id, podUID: proto.podSandboxStatus.metadata.uid)
    }

    /// The sandbox and `network.ip` ("" for host network).
    public static func podSandboxStatus(_ proto: Runtime_V1_PodSandboxStatus) -> PodSandboxStatus {
        let sandbox = PodSandbox(
            id: proto.id, name: proto.metadata.name, namespace: proto.metadata.namespace,
            uid: proto.metadata.uid, attempt: proto.metadata.attempt,
            state: sandboxState(proto.state), createdAt: proto.createdAt,
            labels: proto.labels, annotations: proto.annotations)
        return PodSandboxStatus(sandbox: sandbox, ip: proto.network.ip)
    }

    /// `image` is `image.image`; `imageRef` is `image_ref` (on containerd 1.6 the image ID).
    public static func container(_ proto: Runtime_V1_Container) -> RuntimeContainer {
        RuntimeContainer(
            id: proto.id, sandboxID: proto.podSandboxID, name: proto.metadata.name,
            attempt: proto.metadata.attempt, image: proto.image.image, imageRef: proto.imageRef,
            state: containerState(proto.state), createdAt: proto.createdAt,
            labels: proto.labels, annotations: proto.annotations)
    }

    /// `image` is `image.image` (containerd: the image's first repo tag), `imageRef` is `image_ref`
    /// (containerd: the first repo digest, else the image ID); times are nanoseconds, 0 when not
    /// reached.
    public static func containerStatus(_ proto: Runtime_V1_ContainerStatus) -> RuntimeContainerStatus {
        RuntimeContainerStatus(
            id: proto.id, name: proto.metadata.name, attempt: proto.metadata.attempt,
            state: containerState(proto.state), createdAt: proto.createdAt,
            startedAt: proto.startedAt, finishedAt: proto.finishedAt, exitCode: proto.exitCode,
            image: proto.image.image, imageRef: proto.imageRef, reason: proto.reason,
            message: proto.message, labels: proto.labels, annotations: proto.annotations,
            logPath: proto.logPath)
    }

    /// CRI `Image`: ID (`sha256:…`), repo tags, repo digests, size in bytes.
    public static func image(_ proto: Runtime_V1_Image) -> RuntimeImage {
        RuntimeImage(id: proto.id, repoTags: proto.repoTags, repoDigests: proto.repoDigests, size: proto.size)
    }

    /// Output bytes as UTF-8 text (invalid sequences replaced), the exit code as is.
    public static func execResult(_ proto: Runtime_V1_ExecSyncResponse) -> ExecResult {
        ExecResult(
            stdout: String(decoding: proto.stdout, as: UTF8.self),
            stderr: String(decoding: proto.stderr, as: UTF8.self), exitCode: proto.exitCode)
    }
}

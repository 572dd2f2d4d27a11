/// What a sandbox is created from (CRI `PodSandboxConfig`, the fields used here).
public struct PodSandboxConfig: Sendable, Hashable, Codable {
    /// Pod name, namespace and UID (CRI `PodSandboxMetadata`); `attempt` counts sandbox re-creations.
    public var name: String
    public var namespace: String
    public var uid: String
    public var attempt: UInt32
    public var hostname: String
    /// Directory of the pod's container logs, e.g. `/var/log/pods/<ns>_<name>_<uid>`.
    public var logDirectory: String
    public var labels: [String: String]
    public var annotations: [String: String]
    /// Share the node's network namespace (no CNI needed).
    public var hostNetwork: Bool

    public init(name: String, namespace: String, uid: String, attempt: UInt32 = 0, hostname: String = "",
                logDirectory: String = "", labels: [String: String] = [:], annotations: [String: String] = [:],
                hostNetwork: Bool = false) {
        self.name = name
        self.namespace = namespace
        self.uid = uid
        self.attempt = attempt
        self.hostname = hostname
        self.logDirectory = logDirectory
        self.labels = labels
        self.annotations = annotations
        self.hostNetwork = hostNetwork
    }
}

/// CRI `PodSandboxState`.
public enum SandboxState: String, Sendable, Hashable, Codable {
    case ready = "SANDBOX_READY"
    case notReady = "SANDBOX_NOTREADY"
}

/// A sandbox as `ListPodSandbox` returns it.
public struct PodSandbox: Sendable, Hashable, Codable {
    public var id: String
    public var name: String
    public var namespace: String
    public var uid: String
    public var attempt: UInt32
    public var state: SandboxState
    /// Nanoseconds since the Unix epoch.
    public var createdAt: Int64
    public var labels: [String: String]
    public var annotations: [String: String]

    public init(id: String, name: String, namespace: String, uid: String, attempt: UInt32, state: SandboxState,
                createdAt: Int64, labels: [String: String], annotations: [String: String]) {
        self.id = id
        self.name = name
        self.namespace = namespace
        self.uid = uid
        self.attempt = attempt
        self.state = state
        self.createdAt = createdAt
        self.labels = labels
        self.annotations = annotations
    }
}

/// A sandbox's status (CRI `PodSandboxStatus`): the sandbox plus its IP ("" when host network
/// or not yet known).
public struct PodSandboxStatus: Sendable, Hashable, Codable {
    public var sandbox: PodSandbox
    public var ip: String
    public init(sandbox: PodSandbox, ip: String) { self.sandbox = sandbox; self.ip = ip }
}

/// A key/value pair of a container's environment.
public struct KeyValue: Sendable, Hashable, Codable {
    public var key: String
    public var value: String
    public init(key: String, value: String) { self.key = key; self.value = value }
}

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

/// What a container is created from (CRI `ContainerConfig`, the fields used here).
public struct ContainerConfig: Sendable, Hashable, Codable {
    /// Container name and attempt (CRI `ContainerMetadata`); attempt = restartCount, as kubelet sets it.
    public var name: String
    public var attempt: UInt32
    /// The image to run (CRI `ImageSpec.image`: the ref the pull returned).
    public var image: String
    /// The image string of the pod spec (CRI `ImageSpec.user_specified_image`).
    public var userSpecifiedImage: String
    public var command: [String]
    public var args: [String]
    public var workingDir: String
    public var envs: [KeyValue]
    public var mounts: [Mount]
    public var labels: [String: String]
    public var annotations: [String: String]
    /// Log path relative to the sandbox's log directory, e.g. `app/0.log`.
    public var logPath: String
    /// Signal name the runtime sends to stop the container (e.g. `SIGTERM`), "" for the image's default.
    public var stopSignal: String

    public init(name: String, attempt: UInt32 = 0, image: String, userSpecifiedImage: String = "",
                command: [String] = [], args: [String] = [], workingDir: String = "", envs: [KeyValue] = [],
                mounts: [Mount] = [], labels: [String: String] = [:], annotations: [String: String] = [:],
                logPath: String = "", stopSignal: String = "") {
        self.name = name
        self.attempt = attempt
        self.image = image
        self.userSpecifiedImage = userSpecifiedImage
        self.command = command
        self.args = args
        self.workingDir = workingDir
        self.envs = envs
        self.mounts = mounts
        self.labels = labels
        self.annotations = annotations
        self.logPath = logPath
        self.stopSignal = stopSignal
    }
}

/// CRI `ContainerState`.
public enum RuntimeContainerState: String, Sendable, Hashable, Codable {
    case created = "CONTAINER_CREATED"
    case running = "CONTAINER_RUNNING"
    case exited = "CONTAINER_EXITED"
    case unknown = "CONTAINER_UNKNOWN"
}

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

/// A container as `ListContainers` returns it (CRI `Container`).
public struct RuntimeContainer: Sendable, Hashable, Codable {
    public var id: String
    public var sandboxID: String
    public var name: String
    public var attempt: UInt32
    public var image: String
    /// CRI `Container.image_ref`. On containerd this is the image ID (`sha256:...`), not the repo
    /// digest: take `imageID` for status from ``RuntimeContainerStatus/imageRef`` instead.
    public var imageRef: String
    public var state: RuntimeContainerState
    /// Nanoseconds since the Unix epoch.
    public var createdAt: Int64
    public var labels: [String: String]
    public var annotations: [String: String]

    public init(id: String, sandboxID: String, name: String, attempt: UInt32, image: String, imageRef: String,
                state: RuntimeContainerState, createdAt: Int64, labels: [String: String], annotations: [String: String]) {
        self.id = id
        self.sandboxID = sandboxID
        self.name = name
        self.attempt = attempt
        self.image = image
        self.imageRef = imageRef
        self.state = state
        self.createdAt = createdAt
        self.labels = labels
        self.annotations = annotations
    }
}

/// A container's full status (CRI `ContainerStatus`). Times are nanoseconds since the Unix
/// epoch, 0 when not reached.
public struct RuntimeContainerStatus: Sendable, Hashable, Codable {
    public var id: String
    public var name: String
    public var attempt: UInt32
    public var state: RuntimeContainerState
    public var createdAt: Int64
    public var startedAt: Int64
    public var finishedAt: Int64
    public var exitCode: Int32
    /// CRI `image.image`: on containerd the image's first repo tag, not necessarily the spec's (B7).
    public var image: String
    /// CRI `image_ref`: reported as `imageID`.
    public var imageRef: String
    /// `Completed`, `Error`, `OOMKilled`, ... once exited.
    public var reason: String
    public var message: String
    public var labels: [String: String]
    public var annotations: [String: String]
    public var logPath: String

    public init(id: String, name: String, attempt: UInt32, state: RuntimeContainerState, createdAt: Int64,
                startedAt: Int64 = 0, finishedAt: Int64 = 0, exitCode: Int32 = 0, image: String, imageRef: String,
                reason: String = "", message: String = "", labels: [String: String] = [:],
                annotations: [String: String] = [:], logPath: String = "") {
        self.id = id
        self.name = name
        self.attempt = attempt
        self.state = state
        self.createdAt = createdAt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.exitCode = exitCode
        self.image = image
        self.imageRef = imageRef
        self.reason = reason
        self.message = message
        self.labels = labels
        self.annotations = annotations
        self.logPath = logPath
    }
}

/// The result of `execSync`.
public struct ExecResult: Sendable, Hashable {
    public var stdout: String
    public var stderr: String
    public var exitCode: Int32
    public init(stdout: String, stderr: String, exitCode: Int32) {
        self.stdout = stdout
        self.stderr = stderr
        self.exitCode = exitCode
    }
}

/// An image on the node (CRI `Image`).
public struct RuntimeImage: Sendable, Hashable, Codable {
    /// The image config digest, `sha256:...`.
    public var id: String
    public var repoTags: [String]
    /// `repo@sha256:...` references.
    public var repoDigests: [String]
    /// Bytes.
    public var size: UInt64
    public init(id: String, repoTags: [String], repoDigests: [String], size: UInt64) {
        self.id = id
        self.repoTags = repoTags
        self.repoDigests = repoDigests
        self.size = size
    }
}

/// Labels and annotations kubelet puts on sandboxes and containers, so `crictl` and log
/// collectors see what they expect.
public enum KubeletLabels {
    public static let podName = "io.kubernetes.pod.name"
    public static let podNamespace = "io.kubernetes.pod.namespace"
    public static let podUID = "io.kubernetes.pod.uid"
    public static let containerName = "io.kubernetes.container.name"
    public static let containerHash = "io.kubernetes.container.hash"
    public static let containerRestartCount = "io.kubernetes.container.restartCount"
    public static let terminationMessagePath = "io.kubernetes.container.terminationMessagePath"
    public static let terminationMessagePolicy = "io.kubernetes.container.terminationMessagePolicy"
    public static let podTerminationGracePeriod = "io.kubernetes.pod.terminationGracePeriod"
    /// inplaced's own: which hash algorithm wrote `io.kubernetes.container.hash`.
    public static let containerHashAlgorithm = "inplaced.io/container-hash-algorithm"
}

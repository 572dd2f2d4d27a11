import ContainerRuntime
import Foundation

extension MockRuntime {
    /// Creates a container in `.created` state and returns its ID (64 hex, deterministic).
    /// `config.image` is resolved on the node as containerd resolves it (image ID, or a tag or
    /// digest reference normalized); the log path is the sandbox log directory joined with
    /// `config.logPath` (`config.logPath` alone when the directory is ""); with
    /// ``setWritesLogFiles(_:)`` on and an absolute path, its directories and an empty log file are
    /// created as containerd creates them, so `<N>.log` files tell how many containers ran
    /// (kubelet's restartCount after a lost runtime).
    ///
    /// - Throws: `.notFound(call: "CreateContainer", kind: "sandbox", id:)` for an unknown sandbox;
    ///   `.failed` when the sandbox is not ready, when the container name (name, pod, namespace, UID,
    ///   attempt) is taken by a container not yet removed ("failed to reserve container name"), or
    ///   when the image is not on the node ("failed to resolve image \"...\": not found").
    public func createContainer(sandboxID: String, config: ContainerConfig, sandboxConfig: PodSandboxConfig) async throws -> String {
        try await enter(.createContainer, config.image, subjects: [sandboxID, config.name, config.userSpecifiedImage])
        guard let sandbox = node.sandboxes[sandboxID] else {
            throw RuntimeError.notFound(call: "CreateContainer", kind: "sandbox", id: sandboxID)
        }
        guard sandbox.state == .ready else {
            throw RuntimeError.failed(call: "CreateContainer", detail: "sandbox container \"\(sandboxID)\" is not running")
        }
        let name = [config.name, sandboxConfig.name, sandboxConfig.namespace, sandboxConfig.uid, String(config.attempt)]
            .joined(separator: "_")
        if let holder = node.containerNames[name] {
            throw RuntimeError.failed(
                call: "CreateContainer",
                detail: "failed to reserve container name \"\(name)\": name \"\(name)\" is reserved for \"\(holder)\"")
        }
        guard let imageID = node.resolveImageID(config.image) else {
            throw RuntimeError.failed(call: "CreateContainer", detail: "failed to resolve image \"\(config.image)\": not found")
        }
        let id = makeID(kind: "container", number: node.counters.nextContainer)
        node.counters.nextContainer += 1
        let logPath = Self.joinLogPath(sandboxConfig.logDirectory, config.logPath)
        if writesLogFiles, logPath.hasPrefix("/"), !FileManager.default.fileExists(atPath: logPath) {
            try? FileManager.default.createDirectory(
                atPath: (logPath as NSString).deletingLastPathComponent,
                withIntermediateDirectories: true)
            FileManager.default.createFile(atPath: logPath, contents: nil)
        }
        node.insert(
            ContainerRecord(
                ContainerFields(
                    id: id, seq: node.nextSeq(), sandboxID: sandboxID, config: config, imageID: imageID,
                    logPath: logPath,
                    reservedName: name, state: .created, createdAt: now())))
        stateChanged()
        emit(.created, id)
        return id
    }

    /// Starts a created container (`.running`, `startedAt` = now), then applies its image's
    /// behaviour (see ``setBehaviour(forImage:_:)``).
    ///
    /// - Throws: `.notFound(call: "StartContainer", kind: "container", id:)`; `.failed` when the
    ///   container is not in `.created` ("container is in CONTAINER_RUNNING state"), when its
    ///   sandbox is not ready, or when its behaviour is ``ContainerBehaviour/failToStart(message:)``.
    public func startContainer(id: String) async throws {
        try await enter(.startContainer, id, subjects: containerSubjects(id))
        guard var container = node.containers[id] else {
            throw RuntimeError.notFound(call: "StartContainer", kind: "container", id: id)
        }
        guard container.state == .created else {
            throw RuntimeError.failed(
                call: "StartContainer",
                detail: "failed to set starting state for container \"\(id)\": container is in \(container.state.rawValue) state")
        }
        guard node.sandboxes[container.sandboxID]?.state == .ready else {
            throw RuntimeError.failed(call: "StartContainer", detail: "sandbox container \"\(container.sandboxID)\" is not running")
        }
        let behaviour = behaviour(of: container)
        if case .failToStart(let message) = behaviour {
            let detail = "failed to create containerd task: failed to create shim task: OCI runtime create failed: \(message)"
            container.state = .exited
            container.exitCode = 128
            container.reason = "StartError"
            container.message = detail
            container.finishedAt = now()
            node.containers[id] = container
            stateChanged()
            emit(.stopped, id)
            throw RuntimeError.failed(call: "StartContainer", detail: detail)
        }
        container.state = .running
        container.startedAt = now()
        node.containers[id] = container
        stateChanged()
        emit(.started, id)
        if case .exitAfterStart(let seconds, let code, let reason) = behaviour {
            scheduleExit(id, after: seconds, code: code, reason: reason)
        }
    }

    /// What a container does once started: its image's behaviour, else (with the auto registry)
    /// what its command does, else it runs until stopped.
    func behaviour(of container: ContainerRecord) -> ContainerBehaviour {
        behaviours.value(forAnyOf: imageKeys(of: container))
            ?? (autoRegistry
                ? Self.newcomerBehaviour(image: container.config.image, command: container.config.command + container.config.args)
                : .runUntilStopped)
    }

    /// Ends the running container `id` after `seconds`.
    func scheduleExit(_ id: String, after seconds: Double, code: Int32, reason: String?) {
        exitTasks[id]?.cancel()
        exitTasks[id] = Task { [weak self] in
            if seconds > 0 { try? await Task.sleep(nanoseconds: UInt64(seconds * 1_000_000_000)) }
            guard !Task.isCancelled else { return }
            await self?.finish(id, code: code, reason: reason)
        }
    }

    /// Arms again the timed ends of the running containers loaded from the state file (their
    /// timers do not outlive the process): each ends when it would have, counted from its start,
    /// at once when that time has passed. Call after the registry and behaviours are set.
    /// - Returns: how many containers were armed.
    @discardableResult
    public func rearmTimedExits() -> Int {
        var armed = 0
        for (id, container) in node.containers where container.state == .running && exitTasks[id] == nil {
            guard case .exitAfterStart(let seconds, let code, let reason) = behaviour(of: container) else { continue }
            let elapsed = Double(now() - container.startedAt) / 1e9
            scheduleExit(id, after: max(0, seconds - elapsed), code: code, reason: reason)
            armed += 1
        }
        return armed
    }

    /// Stops a running container: `.exited`, `finishedAt` = now, exit code from
    /// ``setStopExitCode(forImage:code:)`` (default 0), reason `Completed` for 0 else `Error`.
    /// `timeoutSeconds` is recorded (``stopTimeoutSeconds(containerID:)``) but not waited.
    /// Stopping a created or exited container changes nothing, as on containerd.
    ///
    /// - Throws: `.notFound(call: "StopContainer", kind: "container", id:)`.
    public func stopContainer(id: String, timeoutSeconds: Int64) async throws {
        try await enter(.stopContainer, id, subjects: containerSubjects(id))
        guard let container = node.containers[id] else {
            throw RuntimeError.notFound(call: "StopContainer", kind: "container", id: id)
        }
        node.containers[id]?.stopTimeoutSeconds = timeoutSeconds
        stopTimeouts[id] = timeoutSeconds
        let code = stopExitCodes.value(forAnyOf: imageKeys(of: container)) ?? 0
        finish(id, code: code, reason: nil)
        stateChanged()
    }

    /// Removes a container, killing it first if it runs. Unknown IDs succeed.
    public func removeContainer(id: String) async throws {
        try await enter(.removeContainer, id, subjects: containerSubjects(id))
        guard node.containers[id] != nil else { return }
        exitTasks.removeValue(forKey: id)?.cancel()
        emit(.deleted, id)
        node.removeContainer(id: id)
        stateChanged()
    }

    /// What a container does in the newcomer's registry (``setAutoRegistry(_:)``), read from its
    /// image and command as a shell would run it: an image named `...crash...` exits 1 after 2 s;
    /// a command ending in `exit N` exits N, `true`/`false` exit 0/1, and `sleep S` exits 0 after
    /// S seconds (so init containers and jobs finish); anything else runs until stopped.
    static func newcomerBehaviour(image: String, command: [String]) -> ContainerBehaviour {
        if image.contains("crash") { return .exitAfterStart(seconds: 2, code: 1) }
        let words = command.joined(separator: " ").split(whereSeparator: { $0 == " " || $0 == ";" || $0 == "&" }).map(String.init)
        guard let last = words.last else { return .runUntilStopped }
        if last == "true" { return .exitAfterStart(seconds: 0.5, code: 0) }
        if last == "false" { return .exitAfterStart(seconds: 0.5, code: 1) }
        if words.count >= 2, words[words.count - 2] == "exit", let code = Int32(last) { return .exitAfterStart(seconds: 0.5, code: code) }
        if words.count >= 2, words[words.count - 2] == "sleep", let seconds = Double(last), seconds.isFinite, seconds >= 0, seconds < 86_400
        {
            return .exitAfterStart(seconds: seconds, code: 0)
        }
        return .runUntilStopped
    }

    /// Containers matching `filter`, in creation order. `id` and `sandboxID` match exactly or as a
    /// prefix (containerd accepts truncated IDs). The node's state is taken on the actor in O(1)
    /// (copy on write) and filtered, sorted and copied off it, so a list of 10,000 containers does
    /// not hold up every other call for its whole length, as containerd serves calls side by side.
    public nonisolated func listContainers(filter: ContainerFilter) async throws -> [RuntimeContainer] {
        let (containers, images) = try await listingState(filter)
        let matches: (ContainerRecord) -> Bool = { container in
            (filter.id.map(container.id.hasPrefix) ?? true)
                && (filter.state.map { $0 == container.state } ?? true)
                && Self.labelsMatch(container.config.labels, filter.labelSelector)
                && (filter.sandboxID.map(container.sandboxID.hasPrefix) ?? true)
        }
        var order: [(seq: Int, id: String)] = []
        for (id, container) in containers where matches(container) { order.append((container.seq, id)) }
        order.sort { $0.seq < $1.seq }
        return order.compactMap { entry in
            guard let container = containers[entry.id] else { return nil }
            return RuntimeContainer(
                id: container.id, sandboxID: container.sandboxID, name: container.config.name,
                attempt: container.config.attempt, image: container.config.image,
                imageRef: Self.imageView(of: container, images: images).imageRef, state: container.state,
                createdAt: container.createdAt, labels: container.config.labels,
                annotations: container.config.annotations)
        }
    }

    /// The call's entry (log, latency, fault), then the containers a list may return (those of
    /// the sandbox when it names one that exists) and the node's images.
    private func listingState(_ filter: ContainerFilter) async throws -> ([String: ContainerRecord], [String: ImageRecord]) {
        try await enter(.listContainers, filter.sandboxID ?? "")
        if let sandboxID = filter.sandboxID, node.sandboxes[sandboxID] != nil {
            let ids = node.containerIDs(inSandbox: sandboxID)
            return (Dictionary(uniqueKeysWithValues: ids.compactMap { id in node.containers[id].map { (id, $0) } }), node.images)
        }
        return (node.containers, node.images)
    }

    /// The container's full status. `image` is its image's first repo tag and `imageRef` its first
    /// repo digest (containerd's choice, see the type's notes); when the image has been removed
    /// from the node, `image` is the config's image and `imageRef` the image ID.
    /// - Throws: `.notFound(call: "ContainerStatus", kind: "container", id:)`.
    public func containerStatus(id: String) async throws -> RuntimeContainerStatus {
        try await enter(.containerStatus, id, subjects: containerSubjects(id))
        guard let container = node.containers[id] else {
            throw RuntimeError.notFound(call: "ContainerStatus", kind: "container", id: id)
        }
        return status(of: container)
    }

    /// Runs `command` through the exec handler (``setExecHandler(_:)``), at most `timeoutSeconds`
    /// seconds (0 = no limit). The default handler answers any command naming
    /// `/etc/image-version` (e.g. `cat /etc/image-version`) with the container's image ref, no
    /// trailing newline; every other command exits 0 with empty output.
    ///
    /// - Throws: `.notFound(call: "ExecSync", kind: "container", id:)`; `.failed` when the container
    ///   is not running ("container is in CONTAINER_EXITED state"), on timeout ("timeout 1s
    ///   exceeded: context deadline exceeded"), or when the handler throws.
    public func execSync(id: String, command: [String], timeoutSeconds: Int64) async throws -> ExecResult {
        try await enter(.execSync, id, subjects: containerSubjects(id))
        guard let container = node.containers[id] else {
            throw RuntimeError.notFound(call: "ExecSync", kind: "container", id: id)
        }
        guard container.state == .running else {
            throw RuntimeError.failed(call: "ExecSync", detail: "container is in \(container.state.rawValue) state")
        }
        guard let handler = execHandler else {
            if command.contains(where: { $0.hasSuffix("/etc/image-version") }) {
                return ExecResult(stdout: imageView(of: container).imageRef, stderr: "", exitCode: 0)
            }
            return ExecResult(stdout: "", stderr: "", exitCode: 0)
        }
        return try await Self.runExec(handler, id: id, command: command, timeoutSeconds: timeoutSeconds)
    }

    // MARK: Helpers

    /// Runs the handler off the actor, racing it against the timeout.
    static func runExec(_ handler: @escaping ExecHandler, id: String, command: [String], timeoutSeconds: Int64) async throws -> ExecResult {
        do {
            guard timeoutSeconds > 0 else { return try await handler(id, command) }
            return try await withThrowingTaskGroup(of: ExecResult?.self) { group in
                group.addTask { try await handler(id, command) }
                group.addTask {
                    try await Task.sleep(nanoseconds: UInt64(timeoutSeconds) * 1_000_000_000)
                    return nil
                }
                defer { group.cancelAll() }
                guard let first = try await group.next(), let result = first else {
                    throw RuntimeError.failed(
                        call: "ExecSync",
                        detail: "failed to exec in container: timeout \(timeoutSeconds)s exceeded: context deadline exceeded")
                }
                return result
            }
        } catch let error as RuntimeError {
            throw error
        } catch is CancellationError {
            throw RuntimeError.unavailable(call: "ExecSync", detail: "context canceled")
        } catch {
            throw RuntimeError.failed(call: "ExecSync", detail: "\(error)")
        }
    }

    /// Exits a running (or unknown-state) container now; no effect on other states.
    /// `reason` nil → `Completed` for 0, `Error` otherwise.
    func finish(_ id: String, code: Int32, reason: String?) {
        guard var container = node.containers[id], container.state == .running || container.state == .unknown else { return }
        container.state = .exited
        container.finishedAt = now()
        container.exitCode = code
        container.reason = reason ?? (code == 0 ? "Completed" : "Error")
        node.containers[id] = container
        exitTasks.removeValue(forKey: id)?.cancel()
        stateChanged()
        emit(.stopped, id)
    }

    func status(of container: ContainerRecord) -> RuntimeContainerStatus {
        let view = imageView(of: container)
        return RuntimeContainerStatus(
            id: container.id, name: container.config.name, attempt: container.config.attempt, state: container.state,
            createdAt: container.createdAt, startedAt: container.startedAt, finishedAt: container.finishedAt,
            exitCode: container.exitCode, image: view.image, imageRef: view.imageRef, reason: container.reason,
            message: container.message, labels: container.config.labels, annotations: container.config.annotations,
            logPath: container.logPath)
    }

    /// containerd's `ContainerStatus.image` and `image_ref` for the container.
    func imageView(of container: ContainerRecord) -> (image: String, imageRef: String) {
        Self.imageView(of: container, images: node.images)
    }

    static func imageView(of container: ContainerRecord, images: [String: ImageRecord]) -> (image: String, imageRef: String) {
        guard let image = images[container.imageID] else { return (container.config.image, container.imageID) }
        return (image.repoTags.first ?? container.config.image, image.repoDigests.first ?? image.id)
    }

    /// Every string naming the container's image: its ID, repo tags and digests, and the
    /// normalized images of its config.
    func imageKeys(of container: ContainerRecord) -> Set<String> {
        var keys: Set<String> = [container.imageID]
        if let image = node.images[container.imageID] {
            keys.formUnion(image.repoTags)
            keys.formUnion(image.repoDigests)
        }
        for image in [container.config.image, container.config.userSpecifiedImage] where !image.isEmpty {
            keys.insert(ImageKeyedSettings<Int32>.key(image))
        }
        return keys
    }

    /// What a fault's `matching` may name for calls about this container.
    func containerSubjects(_ id: String) -> [String] {
        guard let container = node.containers[id] else { return [] }
        return [container.sandboxID, container.config.name] + imageKeys(of: container)
    }

    static func joinLogPath(_ directory: String, _ path: String) -> String {
        guard !directory.isEmpty, !path.isEmpty else { return path }
        var dir = directory
        while dir.count > 1 && dir.hasSuffix("/") { dir.removeLast() }
        let relative = path.drop { $0 == "/" }
        return dir == "/" ? "/" + relative : dir + "/" + relative
    }
}

import ContainerRuntime

extension MockRuntime {
    /// Creates a ready sandbox and returns its ID (64 hex, deterministic: the n-th sandbox of a
    /// given `idSeed` always gets the same ID). Its IP is the next free address of 10.88.0.0/16
    /// (10.88.0.2 first), or "" with `hostNetwork`.
    ///
    /// - Throws: `.failed` when a sandbox with the same name, namespace, UID and attempt exists
    ///   (containerd's "failed to reserve sandbox name"), or when no address is left.
    public func runPodSandbox(_ config: PodSandboxConfig) async throws -> String {
        try await enter(.runPodSandbox, "\(config.namespace)/\(config.name)", subjects: [config.uid])
        let name = [config.name, config.namespace, config.uid, String(config.attempt)].joined(separator: "_")
        if let holder = node.sandboxNames[name] {
            throw RuntimeError.failed(
                call: "RunPodSandbox",
                detail: "failed to reserve sandbox name \"\(name)\": name \"\(name)\" is reserved for \"\(holder)\"")
        }
        var ip = ""
        if !config.hostNetwork {
            guard let allocated = node.allocateIP() else {
                throw RuntimeError.failed(
                    call: "RunPodSandbox",
                    detail:
                        "failed to setup network for sandbox: plugin type=\"bridge\" failed (add): failed to allocate for range 0: no IP addresses available in range set: 10.88.0.1-10.88.255.254"
                )
            }
            ip = allocated
        }
        let id = makeID(kind: "sandbox", number: node.counters.nextSandbox)
        node.counters.nextSandbox += 1
        node.insert(
            SandboxRecord(
                SandboxFields(
                    id: id, seq: node.nextSeq(), config: config, state: .ready, createdAt: now(), ip: ip,
                    reservedName: name)))
        stateChanged()
        emit(.created, id)
        emit(.started, id)
        return id
    }

    /// Kills the sandbox's running containers (SIGKILL: exit code 137, reason `Error`, as
    /// containerd stops them with no grace) and marks the sandbox not ready. Containers still in
    /// `.created` stay so. The IP stays in the status until removal. Unknown IDs succeed.
    public func stopPodSandbox(id: String) async throws {
        try await enter(.stopPodSandbox, id)
        guard node.sandboxes[id] != nil else { return }
        for containerID in node.containerIDs(inSandbox: id) {
            finish(containerID, code: 137, reason: nil)
        }
        let wasReady = node.sandboxes[id]?.state == .ready
        node.sandboxes[id]?.state = .notReady
        stateChanged()
        if wasReady { emit(.stopped, id) }
    }

    /// Removes the sandbox and all its containers (killing running ones first, as containerd
    /// force-stops), releasing its name and IP. Unknown IDs succeed.
    public func removePodSandbox(id: String) async throws {
        try await enter(.removePodSandbox, id)
        guard node.sandboxes[id] != nil else { return }
        for containerID in node.containerIDs(inSandbox: id) {
            exitTasks.removeValue(forKey: containerID)?.cancel()
            emit(.deleted, containerID)
            node.removeContainer(id: containerID)
        }
        emit(.deleted, id)
        node.removeSandbox(id: id)
        stateChanged()
    }

    /// The sandbox and its IP.
    /// - Throws: `.notFound(call: "PodSandboxStatus", kind: "sandbox", id:)`.
    public func podSandboxStatus(id: String) async throws -> PodSandboxStatus {
        try await enter(.podSandboxStatus, id)
        guard let sandbox = node.sandboxes[id] else {
            throw RuntimeError.notFound(call: "PodSandboxStatus", kind: "sandbox", id: id)
        }
        return PodSandboxStatus(sandbox: sandbox.sandbox, ip: sandbox.ip)
    }

    /// Sandboxes (ready or not) whose labels include every pair of `labelSelector`, in creation order.
    public nonisolated func listPodSandboxes(labelSelector: [String: String]) async throws -> [PodSandbox] {
        // Taken on the actor in O(1) (copy on write), filtered and sorted off it (see listContainers).
        let sandboxes = try await listingSandboxes()
        var order: [(seq: Int, id: String)] = []
        for (id, sandbox) in sandboxes where Self.labelsMatch(sandbox.config.labels, labelSelector) { order.append((sandbox.seq, id)) }
        order.sort { $0.seq < $1.seq }
        return order.compactMap { sandboxes[$0.id]?.sandbox }
    }

    private func listingSandboxes() async throws -> [String: SandboxRecord] {
        try await enter(.listPodSandboxes, "")
        return node.sandboxes
    }
}

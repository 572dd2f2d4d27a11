import ContainerRuntime

extension MockRuntime {
    // MARK: Latency and faults

    /// Every later call of `method` waits `seconds` (default 0) before acting, suspended so that
    /// other calls proceed meanwhile. A caller cancelled while waiting gets
    /// `.unavailable(call:, detail: "context canceled")`.
    public func setLatency(_ method: MockMethod, seconds: Double) {
        latencies[method] = seconds > 0 ? seconds : nil
    }

    /// The next `times` calls of `method` (every call when nil) whose argument or subject contains
    /// `matching` (any call when nil) throw `error` instead of acting, after their latency.
    /// Subjects: for container calls the container ID, its sandbox ID, name and every reference of
    /// its image; for `createContainer` the sandbox ID, name and images of the config; for image
    /// calls the image as passed and normalized; for sandbox calls the ID (`runPodSandbox`:
    /// `namespace/name` and UID). Faults are taken in the order injected.
    public func injectFault(_ method: MockMethod, error: RuntimeError, times: Int? = 1, matching: String? = nil) {
        if let times, times <= 0 { return }
        faults.append(InjectedFault(method: method, error: error, remaining: times, matching: matching))
    }

    /// Removes every pending fault.
    public func clearFaults() {
        faults.removeAll()
    }

    func takeFault(for method: MockMethod, subjects: [String]) -> RuntimeError? {
        guard let index = faults.firstIndex(where: { $0.matches(method, subjects: subjects) }) else { return nil }
        let fault = faults[index]
        if let remaining = fault.remaining {
            if remaining <= 1 { faults.remove(at: index) } else { faults[index].remaining = remaining - 1 }
        }
        return fault.error
    }

    // MARK: Container behaviour

    /// What containers of `image` (a reference or image ID; it matches the image's tags, digests
    /// and ID) do when started from now on. `.runUntilStopped` restores the default.
    /// Containers already running are not affected.
    public func setBehaviour(forImage image: String, _ behaviour: ContainerBehaviour) {
        behaviours.set(behaviour == .runUntilStopped ? nil : behaviour, forImage: image)
    }

    /// The exit code containers of `image` report when stopped through `stopContainer`
    /// (default 0 → reason `Completed`; non-zero → `Error`).
    public func setStopExitCode(forImage image: String, code: Int32) {
        stopExitCodes.set(code, forImage: image)
    }

    /// Replaces the exec handler; nil restores the default (see ``execSync(id:command:timeoutSeconds:)``).
    public func setExecHandler(_ handler: ExecHandler?) {
        execHandler = handler
    }

    /// Exits a running container now (the process ended by itself): e.g. `exitCode: 1` for a
    /// crash (reason `Error`), `exitCode: 137, reason: "OOMKilled"`. `reason` nil → `Completed` for
    /// 0, `Error` otherwise. No effect on a container that is not running. Not logged as a call.
    /// - Throws: `RuntimeError.notFound` for an unknown container.
    public func exitContainer(id: String, exitCode: Int32, reason: String? = nil) throws {
        guard node.containers[id] != nil else {
            throw RuntimeError.notFound(call: "exitContainer", kind: "container", id: id)
        }
        finish(id, code: exitCode, reason: reason)
    }

    /// Ends a created container without running it, as containerd does when the caller of its
    /// StartContainer goes away mid-start: state exited, no start time, exit code 128, reason
    /// `StartError`. No effect on a container that is not created. Not logged as a call.
    /// - Throws: `RuntimeError.notFound` for an unknown container.
    public func abortStart(id: String) throws {
        guard var container = node.containers[id] else {
            throw RuntimeError.notFound(call: "abortStart", kind: "container", id: id)
        }
        guard container.state == .created else { return }
        container.state = .exited
        container.finishedAt = now()
        container.exitCode = 128
        container.reason = "StartError"
        node.containers[id] = container
        stateChanged()
        emit(.stopped, id)
    }

    /// Removes a container behind the agent's back (`crictl rm -f`), whatever its state.
    /// Not logged as a call.
    /// - Throws: `RuntimeError.notFound` for an unknown container.
    public func removeContainerOutOfBand(id: String) throws {
        guard node.containers[id] != nil else {
            throw RuntimeError.notFound(call: "removeContainerOutOfBand", kind: "container", id: id)
        }
        exitTasks.removeValue(forKey: id)?.cancel()
        emit(.deleted, id)
        node.removeContainer(id: id)
        stateChanged()
    }

    /// The `timeoutSeconds` (seconds) of the last `stopContainer` call for the container, also
    /// after the container was removed; nil when it was never stopped through CRI.
    public func stopTimeoutSeconds(containerID: String) -> Int64? {
        node.containers[containerID]?.stopTimeoutSeconds ?? stopTimeouts[containerID]
    }

    /// Makes CreateContainer create each container's (absolute) log file, empty, as containerd
    /// does; off by default so tests leave no files behind.
    public func setWritesLogFiles(_ on: Bool) {
        writesLogFiles = on
    }

    /// The config the container was created from (CRI `CreateContainer`'s), nil when unknown.
    /// Not logged as a call.
    public func containerConfig(id: String) -> ContainerConfig? {
        node.containers[id]?.config
    }

    /// Returns once the container is no longer running or created (exited, or gone), polling
    /// every 5 ms; for waiting on behaviours. Not logged as a call.
    /// - Throws: `CancellationError` when the waiting task is cancelled.
    public func waitForExit(containerID: String) async throws {
        while let container = node.containers[containerID], container.state == .running || container.state == .created {
            try await Task.sleep(nanoseconds: 5_000_000)
        }
    }

    // MARK: Call log

    /// The calls received, oldest first (at most the newest `callLogCapacity`).
    public func calls() -> [MockCall] {
        Array(callLog.suffix(callLogCapacity))
    }

    /// The calls of one method, oldest first.
    public func calls(_ method: MockMethod) -> [MockCall] {
        calls().filter { $0.method == method }
    }

    /// Forgets the calls logged so far.
    public func clearCalls() {
        callLog.removeAll()
    }

    func record(_ call: MockCall) {
        guard callLogCapacity > 0 else { return }
        callLog.append(call)
        if callLog.count >= 2 * callLogCapacity { callLog.removeFirst(callLog.count - callLogCapacity) }
    }
}

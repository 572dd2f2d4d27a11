import ContainerRuntime

extension MockRuntime {
    /// A stream of every container and sandbox change from now on, as containerd's
    /// `GetContainerEvents`: created, started, stopped (exited by itself, stopped, killed with its
    /// sandbox, or ended by ``abortStart(id:)``) and deleted (removed, also out of band and with
    /// its sandbox); a sandbox's own events carry its ID as the container ID. Unlike containerd,
    /// which serves one caller, every subscriber gets every event. Nil after
    /// ``setEventsEnabled(_:)`` with false (a runtime without the call, as containerd before 1.7).
    ///
    /// - Throws: an injected fault of ``MockMethod/getContainerEvents``.
    public func containerEvents() async throws -> AsyncThrowingStream<ContainerEvent, any Error>? {
        try await enter(.getContainerEvents, "")
        guard eventsEnabled else { return nil }
        let (stream, continuation) = AsyncThrowingStream<ContainerEvent, any Error>.makeStream()
        let number = nextSubscriber
        nextSubscriber += 1
        eventSubscribers[number] = continuation
        continuation.onTermination = { [weak self] _ in
            Task { await self?.unsubscribe(number) }
        }
        return stream
    }

    /// Whether ``containerEvents()`` offers a stream (default true). Turning it off also ends
    /// the open streams, as a runtime restarted without the feature would.
    public func setEventsEnabled(_ on: Bool) {
        eventsEnabled = on
        if !on { endEventStreams(throwing: nil) }
    }

    /// Ends every open event stream, with `error` when not nil (the runtime dropped its
    /// subscribers, e.g. restarted); the subscriber is expected to relist and subscribe again.
    public func endEventStreams(throwing error: RuntimeError?) {
        let subscribers = eventSubscribers
        eventSubscribers.removeAll()
        for continuation in subscribers.values { continuation.finish(throwing: error) }
    }

    /// How many event streams are open.
    public func eventSubscriberCount() -> Int { eventSubscribers.count }

    private func unsubscribe(_ number: Int) {
        eventSubscribers.removeValue(forKey: number)
    }

    /// Sends `type` about the container `id` (or sandbox, when `id` is one) to every subscriber.
    /// `sandboxID` names the sandbox when the container's record is already gone.
    func emit(_ type: ContainerEvent.EventType, _ id: String, sandboxID: String? = nil) {
        guard !eventSubscribers.isEmpty else { return }
        guard let sandboxID = sandboxID ?? node.containers[id]?.sandboxID ?? (node.sandboxes[id] != nil ? id : nil),
            let uid = node.sandboxes[sandboxID]?.config.uid
        else { return }
        let event = ContainerEvent(containerID: id, type: type, createdAt: now(), podSandboxID: sandboxID, podUID: uid)
        for continuation in eventSubscribers.values { continuation.yield(event) }
    }
}

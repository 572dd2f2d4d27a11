import CRIProto
import ContainerRuntime
import GRPCCore
import Synchronization

extension CRIRuntime {
    /// How long ``containerEvents()`` waits for the runtime to refuse the stream before it takes
    /// the stream as open, seconds. containerd before 1.7 refuses at once (`Unimplemented`); one
    /// that serves events may send nothing until the first event.
    static let eventStreamAnswerSeconds = 1.0

    /// CRI `GetContainerEvents`: the runtime's stream of container and sandbox events, for the
    /// agent's evented PLEG. Nil when the runtime does not implement the call (containerd before
    /// 1.7 answers `Unimplemented`): the agent then relists. The stream has no deadline; it ends
    /// when the connection or the runtime ends it (then it throws the mapped error) and is
    /// cancelled when its consumer stops iterating. Each event carries its sandbox's ID and the
    /// pod's UID from `pod_sandbox_status` (empty when the runtime sent no sandbox status).
    /// - Throws: `.unavailable` when the runtime cannot be reached, `.failed` for another refusal.
    public func containerEvents() async throws -> AsyncThrowingStream<ContainerEvent, any Error>? {
        let (stream, continuation) = AsyncThrowingStream<ContainerEvent, any Error>.makeStream()
        let answer = StreamAnswer()
        let endpoint = self.endpoint.description
        let connections = self.connections
        let task = Task {
            var options = CallOptions.defaults
            options.maxResponseMessageBytes = Self.maxMessageBytes
            do {
                try await connections.withConnection { connection in
                    try await connection.runtime.getContainerEvents(Runtime_V1_GetEventsRequest(), options: options) { response in
                        if case .failure(let error) = response.accepted { throw error }
                        answer.resolve(nil)
                        for try await message in response.messages {
                            continuation.yield(CRIConversions.containerEvent(message))
                        }
                    }
                }
                answer.resolve(nil)
                continuation.finish(
                    throwing: ContainerRuntime.RuntimeError.unavailable(
                        call: "GetContainerEvents", detail: "the runtime at \(endpoint) ended the event stream"))
            } catch {
                answer.resolve(error)
                continuation.finish(
                    throwing: CRIErrorMapping.map(error, call: "GetContainerEvents", endpoint: endpoint, timeoutSeconds: 0))
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        switch await answer.wait(seconds: Self.eventStreamAnswerSeconds) {
        case .some(let error as RPCError) where error.code == .unimplemented:
            logger.info("the runtime has no container events (GetContainerEvents unimplemented); relisting")
            return nil
        case .some(let error):
            task.cancel()
            throw CRIErrorMapping.map(error, call: "GetContainerEvents", endpoint: endpoint, timeoutSeconds: 0)
        case .none:
            return stream
        }
    }
}

/// The first answer of an event stream: nil once accepted (or still silent), else the error.
final class StreamAnswer: Sendable {
    private let state = Mutex<(done: Bool, error: (any Error)?, waiters: [CheckedContinuation<(any Error)?, Never>])>((false, nil, []))

    func resolve(_ error: (any Error)?) {
        let waiters = state.withLock { s -> [CheckedContinuation<(any Error)?, Never>] in
            guard !s.done else { return [] }
            s.done = true
            s.error = error
            defer { s.waiters = [] }
            return s.waiters
        }
        for w in waiters { w.resume(returning: error) }
    }

    /// The answer, or nil when none came within `seconds`.
    func wait(seconds: Double) async -> (any Error)? {
        let timer = Task {
            try? await Task.sleep(nanoseconds: UInt64(seconds * 1e9))
            self.resolve(nil)
        }
        defer { timer.cancel() }
        return await withCheckedContinuation { c in
            let now = state.withLock { s -> (ready: Bool, error: (any Error)?) in
                if s.done { return (true, s.error) }
                s.waiters.append(c)
                return (false, nil)
            }
            if now.ready { c.resume(returning: now.error) }
        }
    }
}

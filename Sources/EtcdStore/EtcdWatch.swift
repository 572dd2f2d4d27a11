import APIStore
import EtcdProto
import Foundation
import GRPCCore
import Synchronization

/// One ``EtcdKeyValueStore/watch(prefix:after:)``: a `Watch.Watch` stream on a member for the
/// keys under `prefix` from revision `after + 1`, with `prev_kv`. When the member becomes
/// unreachable or loses its raft leader (the stream asks for one: `hasleader`), the watch is
/// created again on the next member from the revision after the last event delivered, so no
/// event is lost or repeated; when no member answers in a row, the stream throws
/// `StoreError.unavailable`.
struct EtcdWatch: Sendable {
    let client: EtcdClient
    /// The first key watched: the prefix, or the one key.
    let prefix: String
    let after: Int64
    /// False to watch the key `prefix` alone.
    var wholePrefix = true

    /// The revision the next (re)created watch starts from, and whether the current stream
    /// delivered anything (then its member counts as answering).
    private final class Progress: Sendable {
        let state: Mutex<(next: Int64, answered: Bool)>
        init(next: Int64) { state = Mutex((next, false)) }
    }

    func events() -> AsyncThrowingStream<StoreEvent, any Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: StoreEvent.self)
        let task = Task {
            do {
                try await run(continuation)
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    private var call: String { "etcd Watch.Watch prefix=\(prefix)" }

    private func run(_ continuation: AsyncThrowingStream<StoreEvent, any Error>.Continuation) async throws {
        let progress = Progress(next: after + 1)
        var index = client.preferredIndex
        var reasons: [String] = []
        while !Task.isCancelled {
            let connection = client.connections[index]
            progress.state.withLock { $0.answered = false }
            do {
                try await watch(on: connection, progress: progress, continuation)
                // The member ended the stream without an error: create the watch again there.
                reasons = []
                continue
            } catch let error as StoreError {
                throw error
            } catch {
                if Task.isCancelled || error is CancellationError { return }
                if let rpcError = error as? RPCError, rpcError.code == .cancelled, Task.isCancelled { return }
                let answered = progress.state.withLock { $0.answered }
                if answered { reasons = [] }
                reasons.append("\(connection.endpoint): \(EtcdClient.reason(error))")
                guard reasons.count < client.connections.count else {
                    throw StoreError.unavailable(call: call, reason: "no member answered (\(reasons.joined(separator: "; ")))")
                }
                client.logger.info(
                    "etcd watch moves to another member",
                    metadata: ["prefix": "\(prefix)", "endpoint": "\(connection.endpoint)", "error": "\(EtcdClient.reason(error))"])
                client.skip(from: index)
                index = (index + 1) % client.connections.count
                try? await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    private func watch(
        on connection: EtcdConnection, progress: Progress,
        _ continuation: AsyncThrowingStream<StoreEvent, any Error>.Continuation
    ) async throws {
        var create = Etcdserverpb_WatchCreateRequest()
        create.key = EtcdKeys.data(prefix)
        if wholePrefix { create.rangeEnd = EtcdKeys.rangeEnd(ofPrefix: prefix) }
        create.startRevision = progress.state.withLock { $0.next }
        create.prevKv = true
        var watchRequest = Etcdserverpb_WatchRequest()
        watchRequest.createRequest = create
        let request = watchRequest
        let call = self.call
        // Ends the request side when the response side ended (with an error too): a producer
        // left waiting would keep the stream, and the client's graceful shutdown, open.
        let (responsesEnded, endResponses) = AsyncStream.makeStream(of: Void.self)
        defer { endResponses.finish() }
        try await connection.watch.watch(
            metadata: ["hasleader": "true"],
            options: client.streamOptions,
            requestProducer: { writer in
                try await writer.write(request)
                // The request side stays open for as long as the responses come.
                for await _ in responsesEnded {}
            },
            onResponse: { response in
                defer { endResponses.finish() }
                for try await message in response.messages {
                    progress.state.withLock { $0.answered = true }
                    if message.compactRevision > 0 {
                        let requested = progress.state.withLock { $0.next } - 1
                        throw StoreError.compacted(requested: requested, compactRevision: message.compactRevision)
                    }
                    if message.canceled {
                        throw StoreError.unavailable(call: call, reason: "etcd cancelled the watch: \(message.cancelReason)")
                    }
                    for event in message.events {
                        continuation.yield(Self.storeEvent(event))
                        progress.state.withLock { $0.next = event.kv.modRevision + 1 }
                    }
                }
            })
    }

    /// An etcd event as a ``StoreEvent``: a delete's value is the last value (from `prev_kv`)
    /// with the delete's revision as `modRevision`.
    static func storeEvent(_ event: Mvccpb_Event) -> StoreEvent {
        switch event.type {
        case .delete:
            var value = EtcdKeys.storedValue(event.kv, value: event.hasPrevKv ? event.prevKv.value : nil)
            if event.hasPrevKv { value.createRevision = event.prevKv.createRevision }
            return StoreEvent(kind: .delete, value: value)
        default:
            return StoreEvent(
                kind: .put, value: EtcdKeys.storedValue(event.kv),
                previous: event.hasPrevKv ? EtcdKeys.storedValue(event.prevKv) : nil)
        }
    }
}

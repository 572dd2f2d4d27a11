import APIStore
import Synchronization

/// The in-process fan-out of committed changes to the watches of a ``SQLiteKeyValueStore``.
/// Each subscription delivers events in revision order, each once: a replayed backlog first,
/// then live events newer than the last one delivered.
final class ChangeHub: Sendable {
    struct Subscriber {
        var prefix: String
        var continuation: AsyncThrowingStream<StoreEvent, any Error>.Continuation
        /// Live events held until the backlog is replayed.
        var pending: [StoreEvent]?
        var lastRevision: Int64
    }

    private let state = Mutex<(next: Int, subscribers: [Int: Subscriber])>((0, [:]))

    func subscribe(prefix: String, continuation: AsyncThrowingStream<StoreEvent, any Error>.Continuation) -> Int {
        state.withLock { s in
            let id = s.next
            s.next += 1
            s.subscribers[id] = Subscriber(prefix: prefix, continuation: continuation, pending: [], lastRevision: 0)
            return id
        }
    }

    func unsubscribe(_ id: Int) { state.withLock { _ = $0.subscribers.removeValue(forKey: id) } }

    /// Delivers `backlog` (changes after `after`, read from the log) and then what was held.
    func replay(_ id: Int, backlog: [StoreEvent], after: Int64) {
        state.withLock { s in
            guard var sub = s.subscribers[id] else { return }
            var last = after
            for event in backlog + (sub.pending ?? []) where event.revision > last {
                sub.continuation.yield(event)
                last = event.revision
            }
            sub.pending = nil
            sub.lastRevision = last
            s.subscribers[id] = sub
        }
    }

    func publish(_ event: StoreEvent) {
        state.withLock { s in
            for (id, var sub) in s.subscribers where event.value.key.hasPrefix(sub.prefix) {
                if sub.pending != nil {
                    sub.pending!.append(event)
                } else if event.revision > sub.lastRevision {
                    sub.continuation.yield(event)
                    sub.lastRevision = event.revision
                }
                s.subscribers[id] = sub
            }
        }
    }
}

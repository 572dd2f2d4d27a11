import APIRegistry
import PodAPI
import Synchronization

/// Merges a registry watch with BOOKMARK events and ends it at its timeout, as the API server
/// does: a bookmark (`kind`, `apiVersion`, `metadata.resourceVersion` of the last event sent)
/// every `bookmarkSeconds`, and one just before the timeout ends the watch.
enum WatchStream {
    /// - Parameter open: the server's open watches; the stream ends when they are closed.
    static func merged(
        _ events: AsyncStream<WatchEvent>, kind: String, apiVersion: String, timeoutSeconds: Int, bookmarkSeconds: Int?,
        open: OpenWatches? = nil
    ) -> AsyncStream<WatchEvent> {
        AsyncStream(bufferingPolicy: .unbounded) { out in
            let registration = open?.add(out)
            let last = LastRevision()
            func bookmark() -> WatchEvent {
                let rv = last.value.withLock { $0 }
                let object: JSONValue = [
                    "kind": .string(kind), "apiVersion": .string(apiVersion),
                    "metadata": ["resourceVersion": .string(String(rv)), "creationTimestamp": .null],
                ]
                return WatchEvent(type: .bookmark, object: object, revision: rv)
            }
            let pump = Task {
                for await event in events {
                    last.value.withLock { $0 = max($0, event.revision) }
                    out.yield(event)
                    if event.type == .error { break }
                }
                out.finish()
            }
            let timer = Task {
                let deadline = ContinuousClock.now + .seconds(timeoutSeconds)
                while !Task.isCancelled {
                    let next = bookmarkSeconds.map { ContinuousClock.now + .seconds($0) } ?? deadline
                    if next >= deadline {
                        try? await Task.sleep(until: deadline)
                        if Task.isCancelled { return }
                        if bookmarkSeconds != nil { out.yield(bookmark()) }
                        out.finish()
                        return
                    }
                    try? await Task.sleep(until: next)
                    if Task.isCancelled { return }
                    out.yield(bookmark())
                }
            }
            out.onTermination = { _ in
                pump.cancel()
                timer.cancel()
                if let open, let registration { open.remove(registration) }
            }
        }
    }
}

/// The revision of the last event a watch sent (for its bookmarks).
final class LastRevision: Sendable {
    let value = Mutex<Int64>(0)
}

import APIRegistry
import Synchronization

/// The watch streams the server has open, so a graceful shutdown can end them: a watch lasts up
/// to its timeout (30 minutes by default), and the HTTP server waits for every open response
/// before it stops, as kube-apiserver closes its watches when it is told to stop.
public final class OpenWatches: Sendable {
    private let state = Mutex<(next: Int, closed: Bool, open: [Int: AsyncStream<WatchEvent>.Continuation])>((0, false, [:]))

    public init() {}

    /// Keeps `continuation` until ``remove(_:)``; nil (and the stream finished at once) after
    /// ``closeAll()``.
    func add(_ continuation: AsyncStream<WatchEvent>.Continuation) -> Int? {
        let id: Int? = state.withLock { s in
            if s.closed { return nil }
            let id = s.next
            s.next += 1
            s.open[id] = continuation
            return id
        }
        if id == nil { continuation.finish() }
        return id
    }

    func remove(_ id: Int) { state.withLock { _ = $0.open.removeValue(forKey: id) } }

    /// The number of open watches.
    public var count: Int { state.withLock { $0.open.count } }

    /// Ends every open watch and every later one.
    public func closeAll() {
        let open = state.withLock { s in
            s.closed = true
            defer { s.open.removeAll() }
            return Array(s.open.values)
        }
        for continuation in open { continuation.finish() }
    }
}

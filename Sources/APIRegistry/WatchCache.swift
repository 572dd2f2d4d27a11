import APIStore
import KubeAPI
import PodAPI

/// One resource's watch cache, kube-apiserver's cacher in small: a single store watch for the
/// whole resource, each change decoded once, the last `capacity` changes kept (decoded) to serve
/// a watch that starts from a recent resourceVersion, and each change handed only to the watchers
/// it can concern. Pod watchers selecting `spec.nodeName=X` (every node's watch) are indexed by X,
/// as kube-apiserver's pod "trigger" index: a pod event reaches the watchers of its node (before
/// and after the change) and the watchers without that selector, not all of them.
///
/// A watch from a revision older than what the cache holds is not served here (``subscribe``
/// returns nil; the registry watches the store directly, which answers 410 when it is compacted).
/// When the store watch fails, every watcher gets the ERROR event (410 `Expired` or 503) and its
/// stream ends, as kube-apiserver ends its watchers when the cacher's etcd watch breaks; the next
/// watch starts the cache again.
actor WatchCache {
    /// One decoded change.
    struct Change: Sendable {
        var kind: StoreEvent.Kind
        var revision: Int64
        var object: JSONValue
        /// The object before the change (nil: created, or a delete).
        var previous: JSONValue?
        var namespace: String?
        var nodeNames: [String]
    }

    struct Watcher {
        var namespace: String?
        var options: ListOptions
        var after: Int64
        var node: String?
        var continuation: AsyncStream<WatchEvent>.Continuation
    }

    let resource: APIResource
    let store: any KeyValueStore
    let key: String
    let capacity: Int
    private let decode: @Sendable (StoredValue) -> JSONValue?

    /// The kept changes, oldest first, at most `capacity`.
    private var changes: [Change] = []
    /// Every change after this revision is in `changes` (while ``running``).
    private var oldest: Int64 = 0
    private var running = false
    /// After ``stop()``: every new watch gets a 503 ERROR at once.
    private var stopped = false
    private var feed: Task<Void, Never>?
    private var watchers: [Int: Watcher] = [:]
    private var byNode: [String: Set<Int>] = [:]
    private var unindexed: Set<Int> = []
    private var nextID = 0

    /// Decoded changes so far (for tests and metrics).
    private(set) var decoded = 0

    init(
        resource: APIResource, store: any KeyValueStore, key: String, capacity: Int, decode: @escaping @Sendable (StoredValue) -> JSONValue?
    ) {
        self.resource = resource
        self.store = store
        self.key = key
        self.capacity = max(1, capacity)
        self.decode = decode
    }

    /// The changes after `after` in `namespace` (nil: all) that `options` selects, as watch
    /// events, then live ones; nil when `after` is older than what the cache holds.
    func subscribe(namespace: String?, options: ListOptions, after: Int64) -> AsyncStream<WatchEvent>? {
        if stopped {
            let (stream, continuation) = AsyncStream<WatchEvent>.makeStream()
            let error = APIError.unavailable("the server is shutting down")
            continuation.yield(WatchEvent(type: .error, object: error.status, revision: 0))
            continuation.finish()
            return stream
        }
        if !running { start(after: after) }
        guard after >= oldest else { return nil }
        let id = nextID
        nextID += 1
        let node = resource.kind == "Pod" ? options.fieldSelector?.equalityValue(of: "spec.nodeName") : nil
        let (stream, continuation) = AsyncStream<WatchEvent>.makeStream(bufferingPolicy: .unbounded)
        var watcher = Watcher(namespace: namespace, options: options, after: after, node: node, continuation: continuation)
        for change in changes where change.revision > after {
            if let event = Self.event(change, for: watcher) { continuation.yield(event) }
            watcher.after = change.revision
        }
        watchers[id] = watcher
        if let node { byNode[node, default: []].insert(id) } else { unindexed.insert(id) }
        continuation.onTermination = { _ in Task { await self.remove(id) } }
        return stream
    }

    /// Ends the store watch and every watcher (at shutdown: an open store watch would keep the
    /// etcd client's connections from closing).
    func stop() {
        stopped = true
        feed?.cancel()
        feed = nil
        fail(.unavailable("the server is shutting down"), revision: 0)
    }

    /// Watchers now attached (for tests).
    var watcherCount: Int { watchers.count }

    private func remove(_ id: Int) {
        guard let watcher = watchers.removeValue(forKey: id) else { return }
        if let node = watcher.node {
            byNode[node]?.remove(id)
            if byNode[node]?.isEmpty == true { byNode[node] = nil }
        } else {
            unindexed.remove(id)
        }
    }

    private func start(after: Int64) {
        running = true
        oldest = after
        changes.removeAll()
        let stream = store.watch(prefix: key, after: after)
        feed = Task {
            do {
                for try await event in stream { self.receive(event) }
                self.fail(.unavailable("storage: the watch of \(self.key) ended"), revision: 0)
            } catch let error as StoreError {
                self.fail(ObjectRegistry.storeError(error, self.resource, ""), revision: 0)
            } catch {
                self.fail(.unavailable("storage: the watch of \(self.key) failed: \(error)"), revision: 0)
            }
        }
    }

    private func receive(_ event: StoreEvent) {
        guard running, let change = change(of: event) else { return }
        changes.append(change)
        if changes.count > capacity {
            let dropped = changes.count - capacity
            oldest = changes[dropped - 1].revision
            changes.removeFirst(dropped)
        }
        var targets = unindexed
        for node in change.nodeNames { targets.formUnion(byNode[node] ?? []) }
        for id in targets {
            guard var watcher = watchers[id], change.revision > watcher.after else { continue }
            if let event = Self.event(change, for: watcher) { watcher.continuation.yield(event) }
            watcher.after = change.revision
            watchers[id] = watcher
        }
    }

    private func fail(_ error: APIError, revision: Int64) {
        guard running else { return }
        running = false
        changes.removeAll()
        for (_, watcher) in watchers {
            watcher.continuation.yield(WatchEvent(type: .error, object: error.status, revision: revision))
            watcher.continuation.finish()
        }
        watchers.removeAll()
        byNode.removeAll()
        unindexed.removeAll()
    }

    private func change(of event: StoreEvent) -> Change? {
        var value = event.value
        if event.kind == .delete { value.modRevision = event.revision }
        guard let object = decode(value) else { return nil }
        decoded += 1
        let previous = event.kind == .put ? event.previous.flatMap(decode) : nil
        var nodes: [String] = []
        if resource.kind == "Pod" {
            for o in [object, previous] {
                if let n = o?["spec"]?.string("nodeName"), !n.isEmpty, !nodes.contains(n) { nodes.append(n) }
            }
        }
        return Change(
            kind: event.kind, revision: event.revision, object: object, previous: previous,
            namespace: object["metadata"]?.string("namespace"), nodeNames: nodes)
    }

    /// The event `watcher` sees of `change`, nil when the object is selected neither before nor
    /// after it (the same judgement as a watch on the store: ``ObjectRegistry/watchEvent``).
    static func event(_ change: Change, for watcher: Watcher) -> WatchEvent? {
        if let namespace = watcher.namespace, change.namespace != namespace { return nil }
        return ObjectRegistry.watchEvent(
            kind: change.kind, object: change.object, previous: change.previous, created: change.previous == nil,
            revision: change.revision, options: watcher.options)
    }
}

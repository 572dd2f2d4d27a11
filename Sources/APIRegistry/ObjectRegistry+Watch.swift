import APIStore
import Foundation
import KubeAPI
import PodAPI

extension ObjectRegistry {
    /// A watch of `namespace` (nil: all) from `options.resourceVersion`, as the API server streams
    /// it: without a version (or "0") every selected object first comes as ADDED; then each change
    /// as ADDED, MODIFIED or DELETED, judged against the selectors before and after the change (an
    /// object that comes to match is ADDED, one that stops matching DELETED).
    ///
    /// The stream ends with an ERROR event holding a 410 `Expired` Status when the version is older
    /// than the store keeps, a 504 one when it is newer than the store's, a 503 one when the store
    /// is lost.
    public func watch(_ r: APIResource, namespace: String?, options: ListOptions) -> AsyncStream<WatchEvent> {
        AsyncStream(bufferingPolicy: .unbounded) { continuation in
            let task = Task {
                await self.runWatch(r, namespace: namespace, options: options, continuation)
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    private func runWatch(_ r: APIResource, namespace: String?, options: ListOptions, _ out: AsyncStream<WatchEvent>.Continuation) async {
        func fail(_ error: APIError, revision: Int64) { out.yield(WatchEvent(type: .error, object: error.status, revision: revision)) }
        var after: Int64
        if let rv = options.resourceVersion, rv > 0 {
            after = rv
            do {
                let current = try await store.currentRevision()
                if rv > current { return fail(.tooLargeResourceVersion(requested: rv, current: current), revision: current) }
            } catch { return fail(Self.storeError(error, r, ""), revision: 0) }
        } else {
            do {
                let (items, revision) = try await list(r, namespace: namespace, options: options)
                for item in items {
                    let rv = Int64(item["metadata"]?.string("resourceVersion") ?? "") ?? revision
                    out.yield(WatchEvent(type: .added, object: item, revision: rv))
                }
                after = revision
            } catch { return fail(error, revision: 0) }
        }
        if let cached = await watchCache(r)?.subscribe(namespace: namespace, options: options, after: after) {
            for await event in cached {
                if Task.isCancelled { return }
                out.yield(event)
            }
            return
        }
        do {
            for try await event in store.watch(prefix: collectionKey(r, namespace), after: after) {
                if Task.isCancelled { return }
                if let mapped = map(event, r, options) { out.yield(mapped) }
            }
        } catch let error as StoreError {
            return fail(Self.storeError(error, r, ""), revision: after)
        } catch {
            return
        }
    }

    /// The watch event of one store change, nil when the object is selected neither before nor after.
    func map(_ event: StoreEvent, _ r: APIResource, _ options: ListOptions) -> WatchEvent? {
        var value = event.value
        if event.kind == .delete { value.modRevision = event.revision }
        guard let object = try? decode(value, r) else { return nil }
        let previous = event.kind == .put ? event.previous.flatMap { try? decode($0, r) } : nil
        return Self.watchEvent(
            kind: event.kind, object: object, previous: previous, created: event.previous == nil, revision: event.revision,
            options: options)
    }

    /// The watch event a watcher selecting `options` sees of one change, as the API server judges
    /// it: a deleted object that was selected is DELETED; a written one is ADDED when it comes to
    /// match (or was just created), MODIFIED when it matched before and after, DELETED when it
    /// stops matching; nil when it matches neither before nor after.
    static func watchEvent(
        kind: StoreEvent.Kind, object: JSONValue, previous: JSONValue?, created: Bool, revision: Int64, options: ListOptions
    ) -> WatchEvent? {
        switch kind {
        case .delete:
            return options.matches(object) ? WatchEvent(type: .deleted, object: object, revision: revision) : nil
        case .put:
            let now = options.matches(object)
            let before = previous.map(options.matches) ?? false
            switch (before, now) {
            case (false, true): return WatchEvent(type: .added, object: object, revision: revision)
            case (true, true): return WatchEvent(type: created ? .added : .modified, object: object, revision: revision)
            case (true, false): return WatchEvent(type: .deleted, object: object, revision: revision)
            case (false, false): return nil
            }
        }
    }
}

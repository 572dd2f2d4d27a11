import APIStore
import Foundation
import KubeAPI
import PodAPI
import Synchronization

/// The API server's storage layer (kube-apiserver's registry over etcd3): objects as JSON under
/// `<prefix><storageName>/<namespace>/<name>` in a ``KeyValueStore``, `metadata.resourceVersion`
/// read from the key's mod revision (never stored), uid and creationTimestamp set on create,
/// compare-and-swap on every write (a stale resourceVersion is 409 Conflict), status and main
/// resource written apart (a PUT or PATCH of one keeps the other), pods deleted gracefully.
///
/// Every method throws `APIError`s in the API server's wording; a store failure is a 503
/// `ServiceUnavailable` naming the store call.
public final class ObjectRegistry: Sendable {
    public let store: any KeyValueStore
    /// The key prefix, e.g. `/registry/`.
    public let prefix: String
    let now: @Sendable () -> Date
    /// Server-side retries of a read-modify-write that lost a race (GuaranteedUpdate).
    static let maxRetries = 16

    /// Changes each resource's watch cache keeps (0: no cache, every watch reads the store).
    public let watchCacheSize: Int
    let watchCaches = Mutex<[String: WatchCache]>([:])

    /// - Parameters:
    ///   - prefix: the key prefix of every object.
    ///   - watchCacheSize: changes kept per resource to serve watches (``WatchCache``); 0 turns
    ///     the cache off (kube-apiserver's `--watch-cache`/`--default-watch-cache-size`).
    public init(
        store: any KeyValueStore, prefix: String = "/registry/", watchCacheSize: Int = 1000,
        now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.store = store
        self.prefix = prefix.hasSuffix("/") ? prefix : prefix + "/"
        self.watchCacheSize = watchCacheSize
        self.now = now
    }

    /// Ends every watch cache's store watch and its watchers (graceful shutdown).
    public func stopWatchCaches() async {
        let caches = watchCaches.withLock { Array($0.values) }
        for cache in caches { await cache.stop() }
    }

    /// The watch cache of `r` (created on first use), nil when the cache is off.
    func watchCache(_ r: APIResource) -> WatchCache? {
        guard watchCacheSize > 0 else { return nil }
        return watchCaches.withLock { caches in
            let id = r.apiVersion + "/" + r.storageName
            if let cache = caches[id] { return cache }
            let cache = WatchCache(
                resource: r, store: store, key: collectionKey(r, nil), capacity: watchCacheSize,
                decode: { [r] value in try? Self.decodeStored(value, r) })
            caches[id] = cache
            return cache
        }
    }

    // MARK: keys and coding

    func key(_ r: APIResource, _ namespace: String?, _ name: String) -> String {
        r.namespaced ? "\(prefix)\(r.storageName)/\(namespace ?? "default")/\(name)" : "\(prefix)\(r.storageName)/\(name)"
    }

    func collectionKey(_ r: APIResource, _ namespace: String?) -> String {
        if r.namespaced, let namespace { return "\(prefix)\(r.storageName)/\(namespace)/" }
        return "\(prefix)\(r.storageName)/"
    }

    /// The object of a stored value, with kind, apiVersion and resourceVersion set.
    func decode(_ value: StoredValue, _ r: APIResource) throws(APIError) -> JSONValue {
        try Self.decodeStored(value, r)
    }

    static func decodeStored(_ value: StoredValue, _ r: APIResource) throws(APIError) -> JSONValue {
        guard var object = try? JSONValue.parse(value.value) else {
            throw .internalError("the stored object at \(value.key) is not JSON")
        }
        object = StorageVersion.fromStorage(object, r)
        object.set("kind", .string(r.kind))
        object.set("apiVersion", .string(r.apiVersion))
        var meta = object["metadata"] ?? .object([:])
        meta.set("resourceVersion", .string(String(value.modRevision)))
        object.set("metadata", meta)
        return object
    }

    /// The stored bytes of `object` (addressed to `r`'s version): in the storage version, without
    /// resourceVersion.
    func encode(_ object: JSONValue, _ r: APIResource) -> [UInt8] {
        var o = StorageVersion.toStorage(object, r)
        var meta = o["metadata"] ?? .object([:])
        meta.set("resourceVersion", nil)
        o.set("metadata", meta)
        return o.jsonBytes()
    }

    static func storeError(_ error: StoreError, _ r: APIResource, _ name: String) -> APIError {
        switch error {
        case .notFound: return .notFound(r, name)
        case .alreadyExists: return .alreadyExists(r, name)
        case .conflict: return .conflict(r, name)
        case .compacted(let requested, let compact): return .expired(requested: requested, oldest: compact)
        case .unavailable(let call, let reason): return .unavailable("storage: \(call): \(reason)")
        }
    }

    static func name(of object: JSONValue) -> String { object["metadata"]?.string("name") ?? "" }

    // MARK: create, get, list

    /// Creates `object` in `namespace` (nil for cluster-scoped kinds): checks kind and namespace,
    /// validates, sets uid, creationTimestamp (and `generateName`'s name), a new pod's phase
    /// `Pending`.
    /// - Returns: the stored object with its resourceVersion.
    /// - Throws: 400 (wrong namespace), 422 `Invalid`, 409 `AlreadyExists`, 503.
    public func create(_ r: APIResource, namespace: String?, _ object: JSONValue) async throws(APIError) -> JSONValue {
        guard case .object = object else { throw .badRequest("the body of the request is not a \(r.kind) object") }
        var o = object
        var meta = o["metadata"] ?? .object([:])
        if r.namespaced {
            let ns = namespace ?? "default"
            if let given = meta.string("namespace"), !given.isEmpty, given != ns {
                throw .badRequest("the namespace of the provided object does not match the namespace sent on the request")
            }
            meta.set("namespace", .string(ns))
        }
        if (meta.string("name") ?? "").isEmpty, let generate = meta.string("generateName"), !generate.isEmpty {
            meta.set("name", .string(generate + Self.randomSuffix()))
        }
        let name = meta.string("name") ?? ""
        meta.set("uid", .string(UUID().uuidString.lowercased()))
        meta.set("creationTimestamp", .string(Time(now()).description))
        meta.set("resourceVersion", nil)
        meta.set("deletionTimestamp", nil)
        meta.set("deletionGracePeriodSeconds", nil)
        o.set("metadata", meta)
        o.set("kind", .string(r.kind))
        o.set("apiVersion", .string(r.apiVersion))
        if StorageVersion.isCloneSet(r) {
            meta.set("generation", .integer(1))
            o.set("metadata", meta)
            o.set("status", .object([:]))
        }
        if r == .pods {
            var status = o["status"] ?? .object([:])
            if status.string("phase") == nil { status.set("phase", "Pending") }
            o.set("status", status)
        }
        if name.isEmpty {
            throw .invalid(
                r, "",
                [.init(reason: "FieldValueRequired", message: "Required value: name or generateName is required", field: "metadata.name")])
        }
        let causes = ObjectValidation.create(r, o)
        if !causes.isEmpty { throw .invalid(r, name, causes) }
        do {
            let stored = try await store.create(key(r, namespace, name), value: encode(o, r))
            return try decode(stored, r)
        } catch let error as StoreError {
            throw Self.storeError(error, r, name)
        } catch let error as APIError { throw error } catch { throw .internalError("\(error)") }
    }

    /// The object, with its resourceVersion.
    /// - Throws: 404 `NotFound`, 503.
    public func get(_ r: APIResource, namespace: String?, name: String) async throws(APIError) -> JSONValue {
        try await getStored(r, namespace: namespace, name: name).object
    }

    func getStored(_ r: APIResource, namespace: String?, name: String) async throws(APIError) -> (object: JSONValue, revision: Int64) {
        let found: StoredValue?
        do { found = try await store.get(key(r, namespace, name)).value } catch { throw Self.storeError(error, r, name) }
        guard let found else { throw .notFound(r, name) }
        return (try decode(found, r), found.modRevision)
    }

    /// The selected objects of `namespace` (nil: all namespaces), and the revision to watch from.
    /// - Throws: 503.
    public func list(_ r: APIResource, namespace: String?, options: ListOptions = ListOptions()) async throws(APIError) -> (
        items: [JSONValue], revision: Int64
    ) {
        let listed: (values: [StoredValue], revision: Int64)
        do { listed = try await store.list(prefix: collectionKey(r, namespace)) } catch { throw Self.storeError(error, r, "") }
        var items: [JSONValue] = []
        items.reserveCapacity(listed.values.count)
        for value in listed.values {
            let object = try decode(value, r)
            if options.matches(object) { items.append(object) }
        }
        return (items, listed.revision)
    }

    /// A `<Kind>List` object of `items` at `revision`.
    public func listObject(_ r: APIResource, items: [JSONValue], revision: Int64) -> JSONValue {
        [
            "kind": .string(r.listKind), "apiVersion": .string(r.apiVersion), "metadata": ["resourceVersion": .string(String(revision))],
            "items": .array(items),
        ]
    }

    // MARK: update, patch

    /// Reads the object, applies `mutate` and writes the result if it changed, retrying on a lost
    /// race (kube-apiserver's GuaranteedUpdate). `mutate` may throw an `APIError` to stop.
    /// - Returns: the object as stored (unchanged when `mutate` changed nothing).
    /// - Throws: 404, 409 when `mutate` throws it, 503, or what `mutate` throws.
    public func guaranteedUpdate(
        _ r: APIResource, namespace: String?, name: String, _ mutate: (JSONValue) throws(APIError) -> JSONValue
    ) async throws(APIError) -> JSONValue {
        for _ in 0..<Self.maxRetries {
            let (current, revision) = try await getStored(r, namespace: namespace, name: name)
            var updated = try mutate(current)
            // What the API server never lets a write change.
            var meta = updated["metadata"] ?? .object([:])
            for field in ["uid", "creationTimestamp", "namespace", "name"] { meta.set(field, current["metadata"]?[field]) }
            updated.set("metadata", meta)
            if updated == current { return current }
            do {
                let stored = try await store.update(key(r, namespace, name), value: encode(updated, r), expectedRevision: revision)
                return try decode(stored, r)
            } catch let error as StoreError {
                if case .conflict = error { continue }
                throw Self.storeError(error, r, name)
            } catch let error as APIError { throw error } catch { throw .internalError("\(error)") }
        }
        throw .conflict(r, name)
    }

    /// A PUT of the whole object, or of its `status` subresource: only the status is taken from a
    /// status PUT, and the status is kept from the stored object on a main-resource PUT of a pod or
    /// node. A `metadata.resourceVersion` in `object` must be the stored one (409 otherwise); a
    /// `metadata.uid` must be the stored one (422).
    /// - Throws: 400, 404, 409 `Conflict`, 422 `Invalid`, 503.
    public func update(_ r: APIResource, namespace: String?, name: String, _ object: JSONValue, subresource: String? = nil)
        async throws(APIError)
        -> JSONValue
    {
        guard case .object = object else { throw .badRequest("the body of the request is not a \(r.kind) object") }
        if let bodyName = object["metadata"]?.string("name"), bodyName != name {
            throw .badRequest("the name of the object (\(bodyName)) does not match the name on the URL (\(name))")
        }
        let precondition = object["metadata"]?.string("resourceVersion")
        return try await guaranteedUpdate(r, namespace: namespace, name: name) { current throws(APIError) in
            if let precondition, !precondition.isEmpty, precondition != current["metadata"]?.string("resourceVersion") {
                throw .conflict(r, name)
            }
            try Self.checkUID(object, current, r, name)
            return try self.merged(r, current: current, written: object, subresource: subresource)
        }
    }

    /// A PATCH of the object or of its `status` subresource, by `type`; a resourceVersion in the
    /// patch is a precondition (409), a uid that differs is 422 (kubelet's uid precondition).
    /// - Throws: 400 (a malformed patch), 404, 409, 422, 503.
    public func patch(_ r: APIResource, namespace: String?, name: String, subresource: String? = nil, type: PatchType, _ patch: JSONValue)
        async throws(APIError) -> JSONValue
    {
        guard case .object = patch else { throw .badRequest("the patch is not a JSON object") }
        let precondition = patch["metadata"]?.string("resourceVersion")
        return try await guaranteedUpdate(r, namespace: namespace, name: name) { current throws(APIError) in
            if let precondition, precondition != current["metadata"]?.string("resourceVersion") { throw .conflict(r, name) }
            try Self.checkUID(patch, current, r, name)
            let patched: JSONValue
            switch type {
            case .strategicMerge: patched = try StrategicMergePatch.apply(patch, to: current, strategy: .of(r))
            case .jsonMerge: patched = JSONMergePatch.apply(patch, to: current)
            }
            return try self.merged(r, current: current, written: patched, subresource: subresource)
        }
    }

    static func checkUID(_ written: JSONValue, _ current: JSONValue, _ r: APIResource, _ name: String) throws(APIError) {
        if let uid = written["metadata"]?.string("uid"), !uid.isEmpty, uid != current["metadata"]?.string("uid") {
            let message = "Invalid value: \"\(uid)\": field is immutable"
            throw .invalid(r, name, [.init(reason: "FieldValueInvalid", message: message, field: "metadata.uid")])
        }
    }

    /// The object to store when `written` replaces `current` through `subresource`.
    func merged(_ r: APIResource, current: JSONValue, written: JSONValue, subresource: String?) throws(APIError) -> JSONValue {
        var result: JSONValue
        if subresource == "status" {
            result = current
            result.set("status", written["status"])
            return result
        }
        result = written
        var meta = result["metadata"] ?? .object([:])
        // Deletion is the registry's to set.
        meta.set("deletionTimestamp", current["metadata"]?["deletionTimestamp"])
        meta.set("deletionGracePeriodSeconds", current["metadata"]?["deletionGracePeriodSeconds"])
        result.set("metadata", meta)
        if r == .pods || r == .nodes || StorageVersion.isCloneSet(r) { result.set("status", current["status"]) }
        if StorageVersion.isCloneSet(r) {
            // metadata.generation counts spec changes (status.observedGeneration follows it).
            var m = result["metadata"] ?? .object([:])
            let generation = current["metadata"]?.integer("generation") ?? 1
            m.set("generation", .integer(Int64(result["spec"] != current["spec"] ? generation + 1 : generation)))
            result.set("metadata", m)
            let causes = ObjectValidation.create(r, result)
            if !causes.isEmpty { throw .invalid(r, Self.name(of: current), causes) }
        }
        if r == .pods {
            let causes = ObjectValidation.update(r, old: current, new: result)
            if !causes.isEmpty { throw .invalid(r, Self.name(of: current), causes) }
        }
        return result
    }

    // MARK: bind, delete

    /// Binds a pending pod to `node` (the `pods/binding` subresource): sets `spec.nodeName` and a
    /// `PodScheduled` True condition, only if the pod is not bound yet.
    /// - Throws: 409 `Conflict` (`pod web is already assigned to node n1`), 404, 503.
    public func bind(namespace: String, name: String, node: String) async throws(APIError) -> JSONValue {
        let at = Time(now()).description
        return try await guaranteedUpdate(.pods, namespace: namespace, name: name) { current throws(APIError) in
            if let bound = current["spec"]?.string("nodeName"), !bound.isEmpty {
                throw .conflict(.pods, name, "pod \(name) is already assigned to node \"\(bound)\"")
            }
            if current["metadata"]?["deletionTimestamp"] != nil {
                throw .conflict(.pods, name, "pod \(name) is being deleted, cannot be assigned to a host")
            }
            var pod = current
            var spec = pod["spec"] ?? .object([:])
            spec.set("nodeName", .string(node))
            pod.set("spec", spec)
            var status = pod["status"] ?? .object([:])
            var conditions = status.array("conditions").filter { $0.string("type") != "PodScheduled" }
            conditions.append(["type": "PodScheduled", "status": "True", "lastProbeTime": .null, "lastTransitionTime": .string(at)])
            status.set("conditions", .array(conditions))
            pod.set("status", status)
            return pod
        }
    }

    /// Deletes an object. A pod bound to a node, not yet terminal, with a grace period above 0 is
    /// only marked (`deletionTimestamp` = now + grace, `deletionGracePeriodSeconds`; a MODIFIED
    /// event) for its node to stop it and confirm with a grace of 0, as the API server does; a
    /// shorter grace on an already-marked pod shortens it. Everything else is removed at once.
    /// - Returns: the object as marked or as it was when removed.
    /// - Throws: 404, 409 (a precondition failed: `Precondition failed: UID in precondition: x, UID in object meta: y`), 503.
    public func delete(_ r: APIResource, namespace: String?, name: String, options: DeleteOptions = DeleteOptions()) async throws(APIError)
        -> JSONValue
    {
        for _ in 0..<Self.maxRetries {
            let (current, revision) = try await getStored(r, namespace: namespace, name: name)
            let meta = current["metadata"] ?? .object([:])
            if let uid = options.uid, uid != meta.string("uid") {
                throw .conflict(
                    r, name, "Precondition failed: UID in precondition: \(uid), UID in object meta: \(meta.string("uid") ?? "")")
            }
            if let rv = options.resourceVersion, rv != meta.string("resourceVersion") {
                throw .conflict(
                    r, name,
                    "Precondition failed: ResourceVersion in precondition: \(rv), ResourceVersion in object meta: \(meta.string("resourceVersion") ?? "")"
                )
            }
            if r == .pods, let grace = gracefulPeriod(current, options) {
                if meta.integer("deletionGracePeriodSeconds") == grace { return current }
                var marked = current
                var m = meta
                m.set("deletionTimestamp", .string(Time(now().addingTimeInterval(TimeInterval(grace))).description))
                m.set("deletionGracePeriodSeconds", .integer(grace))
                marked.set("metadata", m)
                if marked == current { return current }
                do {
                    let stored = try await store.update(key(r, namespace, name), value: encode(marked, r), expectedRevision: revision)
                    return try decode(stored, r)
                } catch let error as StoreError {
                    if case .conflict = error { continue }
                    throw Self.storeError(error, r, name)
                } catch let error as APIError { throw error } catch { throw .internalError("\(error)") }
            }
            do {
                let removed = try await store.delete(key(r, namespace, name), expectedRevision: revision)
                return try decode(removed, r)
            } catch let error as StoreError {
                if case .conflict = error { continue }
                throw Self.storeError(error, r, name)
            } catch let error as APIError { throw error } catch { throw .internalError("\(error)") }
        }
        throw .conflict(r, name)
    }

    /// The grace a pod's delete leaves it, or nil when it is removed at once.
    func gracefulPeriod(_ pod: JSONValue, _ options: DeleteOptions) -> Int64? {
        let phase = pod["status"]?.string("phase")
        if (pod["spec"]?.string("nodeName") ?? "").isEmpty || phase == "Succeeded" || phase == "Failed" { return nil }
        var grace = options.gracePeriodSeconds ?? pod["spec"]?.integer("terminationGracePeriodSeconds") ?? 30
        if let already = pod["metadata"]?.integer("deletionGracePeriodSeconds") {
            if grace >= already { grace = already }
        }
        return grace > 0 ? grace : nil
    }

    static func randomSuffix() -> String {
        let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
        return String((0..<5).map { _ in alphabet.randomElement()! })
    }
}

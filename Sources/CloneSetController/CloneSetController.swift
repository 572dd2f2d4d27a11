import CloneSetAPI
import Foundation
import KubeAPI
import KubeClient
import Logging
import PodAPI
import Synchronization

/// OpenKruise's CloneSet controller, working only through the Kubernetes API (so it runs as
/// well against a kube-apiserver serving the CloneSet CRD as against inplace-controller):
/// informers on CloneSets (`apps.kruise.io/v1beta1`), pods and ControllerRevisions; a work
/// queue of sets, each synced by ``CloneSetSync`` once its ``Expectations`` are met and the
/// plan written by ``CloneSetWriter``; every set again every `resyncSeconds` seconds.
///
/// A set that is deleted takes its pods and revisions with it (the owner-reference cascade of
/// Kubernetes' garbage collector, for what this controller owns).
public final class CloneSetController: Sendable {
    let client: KubeClient
    let logger: Logger
    let expectations: Expectations
    let recorder: EventRecorder
    let resyncSeconds: Double
    private let queue = Mutex<Set<String>>([])
    /// Failed syncs in a row per set: the retry waits 0.5 s doubling to 60 s (client-go's
    /// workqueue rate limiter), so a set that cannot be written does not spin.
    private let failures = Mutex<[String: Int]>([:])
    private let wakeup = Wakeup()

    public init(client: KubeClient, logger: Logger, resyncSeconds: Double = 30, expectationTimeout: Double = 30) {
        self.client = client
        self.logger = logger
        self.resyncSeconds = resyncSeconds
        self.expectations = Expectations(timeout: expectationTimeout)
        self.recorder = EventRecorder(client: client, logger: logger)
    }

    /// Adds `key` (`namespace/name` of a set) to the queue.
    func enqueue(_ key: String) {
        queue.withLock { _ = $0.insert(key) }
        wakeup.notify()
    }

    func enqueue(after seconds: Double, _ key: String) {
        Task {
            try? await Task.sleep(for: .milliseconds(Int64(max(seconds, 0.05) * 1000)))
            enqueue(key)
        }
    }

    /// The set key a pod or revision belongs to (its controller owner reference of kind CloneSet).
    static func ownerKey(_ object: JSONValue?) -> String? {
        guard let meta = object?["metadata"] else { return nil }
        for ref in meta.array("ownerReferences") where ref["controller"] == .bool(true) && ref.string("kind") == "CloneSet" {
            return "\(meta.string("namespace") ?? "default")/\(ref.string("name") ?? "")"
        }
        return nil
    }

    /// Runs the informers and the worker until cancelled.
    public func run() async {
        let sets = RemoteInformer(client: client, resource: .cloneSetsV1beta1, logger: logger) { [self] old, new in
            if let o = new ?? old { enqueue(RemoteInformer.key(o)) }
        }
        let pods = RemoteInformer(client: client, resource: .pods, logger: logger) { [self] old, new in
            for key in Set([Self.ownerKey(old), Self.ownerKey(new)].compactMap { $0 }) { enqueue(key) }
        }
        let revisions = RemoteInformer(client: client, resource: .controllerRevisions, logger: logger) { [self] old, new in
            if let key = Self.ownerKey(new ?? old) { enqueue(key) }
        }
        logger.info("cloneset controller: started", metadata: ["server": "\(client.config.url)"])
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await sets.run() }
            group.addTask { await pods.run() }
            group.addTask { await revisions.run() }
            group.addTask { [self] in
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(resyncSeconds))
                    for set in sets.objects() { enqueue(RemoteInformer.key(set)) }
                }
            }
            group.addTask { [self] in await work(sets: sets, pods: pods, revisions: revisions) }
            await group.waitForAll()
        }
    }

    func work(sets: RemoteInformer, pods: RemoteInformer, revisions: RemoteInformer) async {
        while !Task.isCancelled {
            await wakeup.wait(timeout: .seconds(1))
            guard sets.hasSynced, pods.hasSynced, revisions.hasSynced else { continue }
            let keys = queue.withLock { q in
                defer { q.removeAll() }
                return q.sorted()
            }
            for key in keys where !Task.isCancelled {
                await sync(key, sets: sets, pods: pods, revisions: revisions)
            }
        }
    }

    func sync(_ key: String, sets: RemoteInformer, pods: RemoteInformer, revisions: RemoteInformer) async {
        let ns = String(key.split(separator: "/").first ?? "default")
        let owned = pods.objects().filter { Self.ownerKey($0) == key }
        let ownedRevisions = revisions.objects().filter { Self.ownerKey($0) == key }
        guard let set = sets.object(key), set["metadata"]?["deletionTimestamp"] == nil else {
            await collect(key, ns: ns, pods: owned, revisions: ownedRevisions)
            return
        }
        let uid = set["metadata"]?.string("uid") ?? ""
        // By name, so that pods of equal rank are updated in one order (the one `rollout plan`
        // shows), not in the cache's.
        let mine = owned.filter { pod in
            pod["metadata"]?.array("ownerReferences").contains { $0.string("uid") == uid } ?? false
        }.sorted { ($0["metadata"]?.string("name") ?? "") < ($1["metadata"]?.string("name") ?? "") }
        let byUID = Dictionary(mine.map { ($0["metadata"]?.string("uid") ?? "", $0) }, uniquingKeysWith: { a, _ in a })
        let met = expectations.satisfied(
            key,
            byName: { name in
                guard let pod = pods.object("\(ns)/\(name)") else { return .init(exists: false) }
                return .init(
                    exists: true, terminating: pod["metadata"]?["deletionTimestamp"] != nil,
                    resourceVersion: pod["metadata"]?.string("resourceVersion") ?? "")
            },
            byUID: { uid in byUID[uid].map { $0["metadata"]?["deletionTimestamp"] == nil } ?? false })
        guard met else {
            enqueue(after: 0.2, key)
            return
        }
        let spec: RolloutSpec
        switch RolloutSpecReader.read(set) {
        case .success(let s): spec = s
        case .failure(let errors):
            logger.warning("cloneset: invalid spec", metadata: ["cloneset": "\(key)", "error": "\(errors)"])
            return
        }
        var generator = SystemRandomNumberGenerator()
        let taken = Set(pods.objects().compactMap { $0["metadata"]?.string("name") })
        let setName = set["metadata"]?.string("name") ?? ""
        let plan = CloneSetSync.decide(
            SyncInput(set: set, spec: spec, pods: mine, revisions: ownedRevisions, now: Date()),
            newID: {
                var id = CloneSetPods.randomID(using: &generator)
                while taken.contains("\(setName)-\(id)") { id = CloneSetPods.randomID(using: &generator) }
                return id
            })
        let writer = CloneSetWriter(client: client, expectations: expectations, events: recorder, logger: logger)
        let ok = await writer.apply(plan, set: set, key: key)
        if ok {
            failures.withLock { _ = $0.removeValue(forKey: key) }
        } else {
            let n = failures.withLock { f -> Int in
                f[key, default: 0] += 1
                return f[key]!
            }
            enqueue(after: min(0.5 * pow(2, Double(min(n - 1, 10))), 60), key)
        }
        if let after = plan.requeueAfterSeconds, after.isFinite { enqueue(after: after, key) }
    }

    /// Deletes the pods and revisions of a set that no longer exists.
    func collect(_ key: String, ns: String, pods: [JSONValue], revisions: [JSONValue]) async {
        expectations.forget(key)
        for pod in pods where pod["metadata"]?["deletionTimestamp"] == nil {
            let name = pod["metadata"]?.string("name") ?? ""
            do { try await client.delete(.pods, namespace: ns, name: name, uid: pod["metadata"]?.string("uid")) } catch
                where error.isNotFound
            {
            } catch { logger.info("cloneset: cannot delete an orphan pod", metadata: ["pod": "\(ns)/\(name)", "error": "\(error)"]) }
        }
        for revision in revisions {
            try? await client.delete(.controllerRevisions, namespace: ns, name: revision["metadata"]?.string("name") ?? "")
        }
    }
}

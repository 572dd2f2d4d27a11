import Foundation
import PodAPI

/// The newest Pod with status of every pod, as the status socket serves them; written by the
/// pod workers after each sync. A lock, not an actor: readers never wait on a sync.
public final class StatusCache: @unchecked Sendable {
    private var pods: [String: Pod] = [:]
    private var fingerprints: [String: StatusFingerprint] = [:]
    /// Pods whose cached status was not written to the outbox (shown at admission only).
    private var unpersisted: Set<String> = []
    private var uidByKey: [String: String] = [:]
    /// UIDs in namespace/name order; rebuilt only when a pod comes or goes.
    private var order: [String]?
    private let lock = NSLock()

    public init() {}

    public func get(_ uid: String) -> Pod? {
        lock.lock()
        defer { lock.unlock() }
        return pods[uid]
    }

    /// The pod `namespace/name`, if known.
    public func get(namespace: String, name: String) -> Pod? {
        lock.lock()
        defer { lock.unlock() }
        return uidByKey["\(namespace)/\(name)"].flatMap { pods[$0] }
    }

    public func set(_ uid: String, pod: Pod) {
        set(uid, pod: pod, fingerprint: nil)
    }

    /// Stores `pod` with what its status was generated from.
    func set(_ uid: String, pod: Pod, fingerprint: StatusFingerprint?, persisted: Bool = true) {
        lock.lock()
        defer { lock.unlock() }
        fingerprints[uid] = fingerprint
        if persisted { unpersisted.remove(uid) } else { unpersisted.insert(uid) }
        if pods.updateValue(pod, forKey: uid) == nil { order = nil }
        uidByKey[pod.key] = uid
    }

    public func remove(_ uid: String) {
        lock.lock()
        defer { lock.unlock() }
        fingerprints[uid] = nil
        unpersisted.remove(uid)
        if let p = pods.removeValue(forKey: uid) {
            order = nil
            if uidByKey[p.key] == uid { uidByKey[p.key] = nil }
        }
    }

    /// What the cached status of `uid` was generated from, when known.
    func fingerprint(_ uid: String) -> StatusFingerprint? {
        lock.lock()
        defer { lock.unlock() }
        return fingerprints[uid]
    }

    /// Whether the cached status of `uid` was written to the outbox (false: shown at admission only).
    func isPersisted(_ uid: String) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        return !unpersisted.contains(uid)
    }

    /// The number of pods.
    public var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return pods.count
    }

    /// How many pods satisfy `predicate`, without copying or sorting them (the lock is held
    /// while it runs: keep it short).
    public func count(where predicate: (Pod) -> Bool) -> Int {
        lock.lock()
        defer { lock.unlock() }
        return pods.values.reduce(0) { predicate($1) ? $0 + 1 : $0 }
    }

    /// Every pod, sorted by namespace then name.
    public func all() -> [Pod] {
        lock.lock()
        defer { lock.unlock() }
        if order == nil {
            let keyed = pods.map { (uid, pod) in (pod.metadata.namespace ?? "", pod.metadata.name ?? "", uid) }
            order = keyed.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map(\.2)
        }
        return order!.compactMap { pods[$0] }
    }
}

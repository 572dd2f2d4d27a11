import Foundation
import PodAPI

/// The newest Pod with status of every pod, as the status socket serves them; written by the
/// pod workers after each sync. A lock, not an actor: readers never wait on a sync.
public final class StatusCache: @unchecked Sendable {
    private var pods: [String: Pod] = [:]
    private var uidByKey: [String: String] = [:]
    private let lock = NSLock()

    public init() {}

    public func get(_ uid: String) -> Pod? {
        lock.lock(); defer { lock.unlock() }
        return pods[uid]
    }

    public func set(_ uid: String, pod: Pod) {
        lock.lock(); defer { lock.unlock() }
        pods[uid] = pod
        uidByKey[pod.key] = uid
    }

    /// The pod `namespace/name`, if known.
    public func get(namespace: String, name: String) -> Pod? {
        lock.lock(); defer { lock.unlock() }
        return uidByKey["\(namespace)/\(name)"].flatMap { pods[$0] }
    }

    public func remove(_ uid: String) {
        lock.lock(); defer { lock.unlock() }
        if let p = pods.removeValue(forKey: uid), uidByKey[p.key] == uid { uidByKey[p.key] = nil }
    }

    /// Every pod, sorted by namespace then name.
    public func all() -> [Pod] {
        lock.lock()
        let list = Array(pods.values)
        lock.unlock()
        return list.sorted { ($0.metadata.namespace ?? "", $0.metadata.name ?? "") < ($1.metadata.namespace ?? "", $1.metadata.name ?? "") }
    }
}

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
    /// Bumped by every change (a status set, a pod removed).
    private var changes: UInt64 = 0
    /// Callers of ``waitForChange(after:)`` suspended until the next change, by ticket.
    private var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
    private var nextTicket: UInt64 = 0
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
        changedLocked()
    }

    /// Counts a change and wakes every waiter (the lock is held).
    private func changedLocked() {
        changes &+= 1
        let woken = waiters
        waiters.removeAll()
        for w in woken.values { w.resume() }
    }

    /// How many changes the cache has seen (a status set, a pod removed): the value to give
    /// ``waitForChange(after:)``.
    public var changeCount: UInt64 {
        lock.lock()
        defer { lock.unlock() }
        return changes
    }

    /// Returns once the cache changed after it counted `count` changes (at once when it already
    /// has), or when the calling task is cancelled: a reader waits for the next status instead of
    /// polling the cache.
    public func waitForChange(after count: UInt64) async {
        let ticket: UInt64? = lock.withLock {
            if changes != count { return nil }
            nextTicket &+= 1
            return nextTicket
        }
        guard let ticket, !Task.isCancelled else { return }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                let waiting = lock.withLock {
                    if changes != count || Task.isCancelled { return false }
                    waiters[ticket] = c
                    return true
                }
                if !waiting { c.resume() }
            }
        } onCancel: {
            lock.withLock { waiters.removeValue(forKey: ticket) }?.resume()
        }
    }

    public func remove(_ uid: String) {
        lock.lock()
        defer { lock.unlock() }
        fingerprints[uid] = nil
        unpersisted.remove(uid)
        if let p = pods.removeValue(forKey: uid) {
            order = nil
            if uidByKey[p.key] == uid { uidByKey[p.key] = nil }
            changedLocked()
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

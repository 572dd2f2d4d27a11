import Foundation
import Synchronization

/// What this controller wrote and has not yet seen come back through its informers (kruise's
/// scale and resourceVersion expectations): pods created (by name), deleted (by uid), and
/// patched (by name, the resourceVersion of the answer). A set is not synced again until its
/// expectations are met, so a late watch event never makes it create or delete a pod twice nor
/// judge an update from a pod object older than the write. An expectation older than `timeout`
/// seconds is dropped (the write may have failed unseen).
public final class Expectations: Sendable {
    struct Pending {
        var creates: [String: Date] = [:]
        var deletes: [String: Date] = [:]
        var writes: [String: (version: String, at: Date)] = [:]
        var isEmpty: Bool { creates.isEmpty && deletes.isEmpty && writes.isEmpty }
    }

    /// What the informer shows of a pod: whether it exists and not deleted, and its version.
    public struct Seen: Sendable {
        public var exists: Bool
        public var terminating: Bool
        public var resourceVersion: String

        public init(exists: Bool, terminating: Bool = false, resourceVersion: String = "") {
            self.exists = exists
            self.terminating = terminating
            self.resourceVersion = resourceVersion
        }
    }

    let timeout: TimeInterval
    private let state = Mutex<[String: Pending]>([:])

    public init(timeout: TimeInterval = 30) { self.timeout = timeout }

    public func expectCreate(_ set: String, pod: String, now: Date = Date()) {
        state.withLock { $0[set, default: .init()].creates[pod] = now }
    }
    public func expectDelete(_ set: String, uid: String, now: Date = Date()) {
        state.withLock { $0[set, default: .init()].deletes[uid] = now }
    }
    public func expectWrite(_ set: String, pod: String, resourceVersion: String, now: Date = Date()) {
        state.withLock { $0[set, default: .init()].writes[pod] = (resourceVersion, now) }
    }
    /// Forgets an expected creation (the create failed).
    public func forgetCreate(_ set: String, pod: String) { state.withLock { _ = $0[set]?.creates.removeValue(forKey: pod) } }
    /// Forgets everything of `set` (it was deleted).
    public func forget(_ set: String) { state.withLock { _ = $0.removeValue(forKey: set) } }

    /// Whether every expectation of `set` is met, dropping those met or timed out.
    /// - Parameters:
    ///   - byName: the informer's view of a pod by name.
    ///   - byUID: whether a pod of this uid is still there and not being deleted.
    public func satisfied(_ set: String, now: Date = Date(), byName: (String) -> Seen, byUID: (String) -> Bool) -> Bool {
        state.withLock { all in
            guard var p = all[set] else { return true }
            let cutoff = now.addingTimeInterval(-timeout)
            p.creates = p.creates.filter { name, at in at > cutoff && !byName(name).exists }
            p.deletes = p.deletes.filter { uid, at in at > cutoff && byUID(uid) }
            p.writes = p.writes.filter { name, write in
                let seen = byName(name)
                return write.at > cutoff && seen.exists && !Self.atLeast(seen.resourceVersion, write.version)
            }
            all[set] = p.isEmpty ? nil : p
            return p.isEmpty
        }
    }

    /// `a` is the same as or newer than `b`: etcd revisions compare as numbers (what every
    /// kube-apiserver serves); otherwise only equality is known.
    static func atLeast(_ a: String, _ b: String) -> Bool {
        if let x = Int64(a), let y = Int64(b) { return x >= y }
        return a == b
    }
}

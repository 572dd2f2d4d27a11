import ContainerRuntime
import Foundation
import PodAPI
import StateStore

/// A set of strings behind a lock.
final class LockedSet: @unchecked Sendable {
    private var set = Set<String>()
    private let lock = NSLock()
    func contains(_ s: String) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        return set.contains(s)
    }
    func insert(_ s: String) {
        lock.lock()
        set.insert(s)
        lock.unlock()
    }
    func remove(_ s: String) {
        lock.lock()
        set.remove(s)
        lock.unlock()
    }
}

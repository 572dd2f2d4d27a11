import Synchronization

/// A flag a test raises to make an elector's `work` return.
final class ReleaseFlag: Sendable {
    private let value = Mutex(false)
    func raise() { value.withLock { $0 = true } }
    var isRaised: Bool { value.withLock { $0 } }
}

import Foundation

/// A hand-driven clock for tests and demos: pass `{ clock.now() }` as the mock's `now`, then move
/// time with ``advance(seconds:)``.
///
/// `@unchecked Sendable` is justified: the only mutable state, `nanoseconds`, is read and written
/// under `lock` (Mutex would need macOS 15, above this package's floor).
public final class ManualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var nanoseconds: Int64

    /// Starts at `nanoseconds` since the Unix epoch (default 2023-11-14T22:13:20Z).
    public init(nanoseconds: Int64 = 1_700_000_000_000_000_000) {
        self.nanoseconds = nanoseconds
    }

    /// The current time, nanoseconds since the Unix epoch.
    public func now() -> Int64 {
        lock.withLock { nanoseconds }
    }

    /// Moves the clock forward by `seconds` (may be fractional).
    public func advance(seconds: Double) {
        advance(nanoseconds: Int64((seconds * 1_000_000_000).rounded()))
    }

    /// Moves the clock forward by `nanoseconds`.
    public func advance(nanoseconds delta: Int64) {
        lock.withLock { nanoseconds += delta }
    }

    /// Sets the clock to `nanoseconds` since the Unix epoch.
    public func set(nanoseconds value: Int64) {
        lock.withLock { nanoseconds = value }
    }
}

import Foundation

/// Restart and pull back-off per key, as kubelet's `flowcontrol.Backoff`: the first delay is
/// `base` seconds, each further failure doubles it up to `max`; a key left alone for twice `max`
/// starts again from `base`.
public final class Backoff: @unchecked Sendable {
    private struct Entry {
        var delay: Double
        var until: Date
        var lastFailure: Date
    }
    private var entries: [String: Entry] = [:]
    private let lock = NSLock()
    private let base: Double
    private let max: Double

    /// - Parameters: base and max delay in seconds.
    public init(base: Double, max: Double) {
        self.base = base
        self.max = max
    }

    /// Records a failure at `now`; returns the delay (seconds) until the next attempt.
    @discardableResult
    public func fail(_ key: String, now: Date = Date()) -> Double {
        lock.lock()
        defer { lock.unlock() }
        var delay = base
        if let e = entries[key], now.timeIntervalSince(e.lastFailure) < 2 * max {
            delay = min(e.delay * 2, max)
        }
        entries[key] = Entry(delay: delay, until: now.addingTimeInterval(delay), lastFailure: now)
        return delay
    }

    /// When the key may be tried again, or nil when it is not backing off at `now`.
    public func blockedUntil(_ key: String, now: Date = Date()) -> Date? {
        lock.lock()
        defer { lock.unlock() }
        guard let e = entries[key], e.until > now else { return nil }
        return e.until
    }

    /// The current delay of a key in seconds (0 when none).
    public func currentDelay(_ key: String) -> Double {
        lock.lock()
        defer { lock.unlock() }
        return entries[key]?.delay ?? 0
    }

    /// Forgets a key (after a success that should reset it, or when its pod goes away).
    public func reset(_ key: String) {
        lock.lock()
        defer { lock.unlock() }
        entries[key] = nil
    }

    /// Forgets every key with the prefix (a pod's containers).
    public func reset(prefix: String) {
        lock.lock()
        defer { lock.unlock() }
        entries = entries.filter { !$0.key.hasPrefix(prefix) }
    }
}

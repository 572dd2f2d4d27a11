import Foundation

/// Exponential back-off with full jitter between delivery attempts of one pod's status:
/// after the n-th consecutive failure (n = 0 for the first) the next attempt waits a uniformly
/// random delay in `0 ... min(maximum, initial * 2^n)` seconds.
public struct DeliveryBackoff: Sendable, Hashable {
    /// The ceiling after the first failure, in seconds (default 0.5).
    public var initial: TimeInterval
    /// The largest ceiling, in seconds (default 60).
    public var maximum: TimeInterval

    public init(initial: TimeInterval = 0.5, maximum: TimeInterval = 60) {
        self.initial = initial
        self.maximum = maximum
    }

    /// The ceiling in seconds after `failures` earlier consecutive failures (0 for the first).
    public func ceiling(afterFailures failures: Int) -> TimeInterval {
        let exponent = Double(min(max(failures, 0), 62))
        return min(maximum, initial * pow(2, exponent))
    }

    /// The delay in seconds before the next attempt; `random` draws from the range it is given
    /// (tests pass a deterministic one).
    public func delay(
        afterFailures failures: Int,
        random: (ClosedRange<Double>) -> Double = { Double.random(in: $0) }
    ) -> TimeInterval {
        let ceiling = ceiling(afterFailures: failures)
        return ceiling > 0 ? random(0...ceiling) : 0
    }
}

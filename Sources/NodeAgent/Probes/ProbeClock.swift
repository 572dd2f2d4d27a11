import Foundation

/// The time source of the probe workers: the wall clock in production, a hand-driven one in tests.
public protocol ProbeClock: Sendable {
    func now() -> Date
    /// Suspends until `date` (at once when it has passed).
    /// - Throws: `CancellationError` when the task is cancelled.
    func sleep(until date: Date) async throws
}

/// The wall clock.
public struct SystemProbeClock: ProbeClock {
    public init() {}
    public func now() -> Date { Date() }
    public func sleep(until date: Date) async throws {
        let seconds = date.timeIntervalSinceNow
        if seconds > 0 { try await Task.sleep(nanoseconds: UInt64(min(seconds, 86_400) * 1e9)) }
        try Task.checkCancellation()
    }
}

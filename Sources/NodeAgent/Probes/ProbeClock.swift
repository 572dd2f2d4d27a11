import Foundation

/// The time source of the probe workers: the wall clock in production, a hand-driven one in tests.
public protocol ProbeClock: Sendable {
    func now() -> Date
    /// Suspends until `date` (at once when it has passed).
    /// - Throws: `CancellationError` when the task is cancelled.
    func sleep(until date: Date) async throws
}

import Foundation

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

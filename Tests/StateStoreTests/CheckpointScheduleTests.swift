import Testing

@testable import StateStore

@Suite("Checkpoint schedule")
struct CheckpointScheduleTests {
    /// Feeds `looks` (WAL bytes, modification time) one per tick; returns the actions.
    static func run(_ schedule: CheckpointSchedule, _ looks: [(Int64, Int64)]) -> [CheckpointSchedule.Action] {
        var schedule = schedule
        return looks.map { schedule.next(walBytes: $0.0, walModified: $0.1) }
    }

    @Test("a log that keeps changing waits for the period; one that stops is checkpointed after the quiet delay, once")
    func quietAndPeriod() {
        let schedule = CheckpointSchedule(period: 1, quiet: 0.5, restartBytes: 0, watchSeconds: 0.25)
        #expect(schedule.tick == 0.25)
        // Changing at every tick: the fourth tick (1 s) is the period.
        #expect(Self.run(schedule, (1...5).map { (100, $0) }) == [.none, .none, .none, .passive, .none])
        // Changed once, then still: 0.5 s after the change one checkpoint, then nothing.
        #expect(Self.run(schedule, [(100, 1), (100, 1), (100, 1), (100, 1), (100, 1)]) == [.none, .none, .passive, .none, .none])
    }

    @Test("a quiet delay of 0 leaves only the period")
    func quietOff() {
        let schedule = CheckpointSchedule(period: 0.5, quiet: 0, restartBytes: 0, watchSeconds: 0.25)
        #expect(Self.run(schedule, [(100, 1), (100, 1), (100, 1), (100, 1)]) == [.none, .passive, .none, .passive])
    }

    @Test("a log past restartBytes asks for a RESTART at once; after a failed one, only past another restartBytes")
    func restart() {
        var schedule = CheckpointSchedule(period: 60, quiet: 0, restartBytes: 1000, watchSeconds: 0.25)
        #expect(schedule.next(walBytes: 1000, walModified: 1) == .none)
        #expect(schedule.next(walBytes: 1001, walModified: 2) == .passiveThenRestart)
        schedule.restartFailed(walBytes: 1001)
        #expect(schedule.next(walBytes: 1500, walModified: 3) == .none)
        #expect(schedule.next(walBytes: 2002, walModified: 4) == .passiveThenRestart)
        // Cut back below the mark: the next crossing asks again.
        #expect(schedule.next(walBytes: 400, walModified: 5) == .none)
        #expect(schedule.next(walBytes: 1200, walModified: 6) == .passiveThenRestart)
    }
}

import CloneSetController
import Foundation
import PodAPI
import Testing

/// The Progressing condition and the opt-in rollback, as ``Progress`` decides them.
struct ProgressTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func set(deadline: Int? = 30, condition: JSONValue? = nil, status: JSONValue = [:], rollback: Bool = false) -> JSONValue {
        var spec: JSONValue = ["replicas": 4]
        if let deadline { spec.set("progressDeadlineSeconds", .integer(Int64(deadline))) }
        var s = status
        if let condition { s.set("conditions", [condition]) }
        var meta: JSONValue = ["name": "web"]
        if rollback { meta.set("annotations", [.init(stringLiteral: Progress.rollbackAnnotation): "true"]) }
        return ["metadata": meta, "spec": spec, "status": s]
    }

    static func counts(replicas: Int = 4, available: Int, updated: Int, updatedAvailable: Int, expected: Int = 4) -> JSONValue {
        [
            "replicas": .integer(Int64(replicas)), "availableReplicas": .integer(Int64(available)),
            "updatedReplicas": .integer(Int64(updated)), "updatedReadyReplicas": .integer(Int64(updatedAvailable)),
            "updatedAvailableReplicas": .integer(Int64(updatedAvailable)), "expectedUpdatedReplicas": .integer(Int64(expected)),
            "updateRevision": "web-new",
        ]
    }

    static func progressing(_ status: String, _ reason: String, updatedAgo: Double) -> JSONValue {
        let at = JSONValue.string(Time(now.addingTimeInterval(-updatedAgo)).description)
        return [
            "type": "Progressing", "status": .string(status), "reason": .string(reason), "lastUpdateTime": at, "lastTransitionTime": at,
        ]
    }

    @Test func noDeadlineNoCondition() {
        let out = Progress.evaluate(
            set: Self.set(deadline: nil), status: Self.counts(available: 2, updated: 1, updatedAvailable: 0), specReplicas: 4,
            paused: false,
            now: Self.now)
        #expect(out.condition == nil && out.event == nil && !out.rollback)
    }

    @Test(arguments: [
        // (counts, paused, expected status, reason)
        (counts(available: 3, updated: 1, updatedAvailable: 0), false, "True", "CloneSetUpdated"),
        (counts(available: 4, updated: 4, updatedAvailable: 4), false, "True", "CloneSetAvailable"),
        (counts(available: 4, updated: 1, updatedAvailable: 1, expected: 1), false, "True", "CloneSetProgressPartitionAvailable"),
        (counts(available: 3, updated: 1, updatedAvailable: 0), true, "Unknown", "CloneSetProgressPaused"),
    ])
    func theConditionFollowsTheRollout(counts: JSONValue, paused: Bool, status: String, reason: String) {
        let out = Progress.evaluate(set: Self.set(), status: counts, specReplicas: 4, paused: paused, now: Self.now)
        #expect(out.condition?.string("status") == status)
        #expect(out.condition?.string("reason") == reason)
    }

    @Test func noProgressPastTheDeadlineExceedsItAndRollsBackOnlyWhenAskedTo() {
        let stuck = Self.counts(available: 3, updated: 1, updatedAvailable: 0)
        for rollback in [false, true] {
            let set = Self.set(condition: Self.progressing("True", "CloneSetUpdated", updatedAgo: 31), status: stuck, rollback: rollback)
            let out = Progress.evaluate(set: set, status: stuck, specReplicas: 4, paused: false, now: Self.now)
            #expect(out.condition?.string("status") == "False")
            #expect(out.condition?.string("reason") == "ProgressDeadlineExceeded")
            #expect(out.condition?.string("message") == "CloneSet web has timed out progressing.")
            #expect(out.event?.reason == "ProgressDeadlineExceeded" && out.event?.type == "Warning")
            #expect(out.rollback == rollback)
        }
    }

    @Test func withinTheDeadlineItWaitsAndProgressRefreshesIt() {
        let stuck = Self.counts(available: 3, updated: 1, updatedAvailable: 0)
        let set = Self.set(condition: Self.progressing("True", "CloneSetUpdated", updatedAgo: 20), status: stuck)
        let waiting = Progress.evaluate(set: set, status: stuck, specReplicas: 4, paused: false, now: Self.now)
        #expect(waiting.condition?.string("reason") == "CloneSetUpdated" && waiting.event == nil)
        #expect(waiting.recheckAfterSeconds.map { abs($0 - 10) < 0.01 } == true)
        let moved = Self.counts(available: 3, updated: 2, updatedAvailable: 1)
        let progressed = Progress.evaluate(set: set, status: moved, specReplicas: 4, paused: false, now: Self.now)
        #expect(progressed.condition?.string("lastUpdateTime") == Time(Self.now).description)
        #expect(progressed.condition?.string("lastTransitionTime") == Time(Self.now.addingTimeInterval(-20)).description)
        // Once exceeded it stays so (one event) until progress comes.
        let exceeded = Self.set(condition: Self.progressing("False", "ProgressDeadlineExceeded", updatedAgo: 50), status: stuck)
        let again = Progress.evaluate(set: exceeded, status: stuck, specReplicas: 4, paused: false, now: Self.now)
        #expect(again.condition?.string("reason") == "ProgressDeadlineExceeded" && again.event == nil)
    }
}

import CloneSetStrategy
import Testing

/// OpenKruise's CloneSet arithmetic, by tables (the figures worked out from
/// ../shared/reference/kubelet-and-kruise-facts.md section 5.6 and kruise's
/// calculateDiffsWithExpectation; several rows are the steps of kruise's own test cases).
struct ExpectationDiffsTests {
    static func pods(old: Int = 0, new: Int = 0, unavailableOld: Int = 0, deleteNew: Int = 0) -> [PodSummary] {
        (0..<old).map { PodSummary(updated: false, available: $0 >= unavailableOld) }
            + (0..<new).map { PodSummary(updated: true, specifiedDelete: $0 < deleteNew) }
    }

    struct Row: Sendable, CustomStringConvertible {
        var name: String
        var spec: ScaleAndUpdateSpec
        var pods: [PodSummary]
        var expected: ExpectationDiffs
        var description: String { name }
    }

    static let rows: [Row] = [
        Row(name: "an empty set", spec: .init(replicas: 0, maxUnavailable: .count(1)), pods: [], expected: .init()),
        Row(
            name: "scale up from nothing", spec: .init(replicas: 5), pods: [],
            expected: .init(scaleUpNum: 5, scaleUpLimit: 5)),
        Row(name: "five updated pods: nothing to do", spec: .init(replicas: 5), pods: pods(new: 5), expected: .init()),
        Row(
            name: "partition 3, step 1: two to update, one at a time",
            spec: .init(replicas: 5, partition: .count(3), maxUnavailable: .count(1)), pods: pods(old: 5),
            expected: .init(updateNum: 2, updateMaxUnavailable: 1)),
        Row(
            name: "partition 3, step 2", spec: .init(replicas: 5, partition: .count(3), maxUnavailable: .count(1)),
            pods: pods(old: 4, new: 1), expected: .init(updateNum: 1, updateMaxUnavailable: 1)),
        Row(
            name: "partition 3, step 3: done", spec: .init(replicas: 5, partition: .count(3), maxUnavailable: .count(1)),
            pods: pods(old: 3, new: 2), expected: .init()),
        Row(
            name: "one pod named for deletion, all ready: one ready pod may go",
            spec: .init(replicas: 5, maxUnavailable: .count(1)), pods: pods(new: 5, deleteNew: 1),
            expected: .init(deleteReadyLimit: 1)),
        Row(
            name: "two named for deletion and replicas 5 -> 4: the surplus pod widens the budget",
            spec: .init(replicas: 4, maxUnavailable: .count(1)), pods: pods(new: 5, deleteNew: 2),
            expected: .init(deleteReadyLimit: 2)),
        Row(
            name: "one named for deletion with maxSurge 1: a replacement is created first",
            spec: .init(replicas: 5, maxUnavailable: .count(0), maxSurge: .count(1)), pods: pods(new: 5, deleteNew: 1),
            expected: .init(scaleUpNum: 1, scaleUpLimit: 1, useSurge: 1)),
        Row(
            name: "partition 3 with maxSurge 1: one surge pod and two to update (kruise creates it even in place, B12)",
            spec: .init(replicas: 5, partition: .count(3), maxUnavailable: .count(1), maxSurge: .count(1)), pods: pods(old: 5),
            expected: .init(scaleUpNum: 1, scaleUpLimit: 1, useSurge: 1, updateNum: 2, updateMaxUnavailable: 1)),
        Row(
            name: "paused: maxSurge is 0, the update is still counted",
            spec: .init(replicas: 5, maxSurge: .count(1), paused: true), pods: pods(old: 5),
            expected: .init(updateNum: 5, updateMaxUnavailable: 1)),
        Row(
            name: "partition raised to 4 with partition rollback: three go back",
            spec: .init(replicas: 5, partition: .count(4), maxUnavailable: .count(2), partitionRollback: true),
            pods: pods(old: 1, new: 4), expected: .init(updateNum: -3, updateMaxUnavailable: 2)),
        Row(
            name: "partition raised to 4 without partition rollback: nothing moves back",
            spec: .init(replicas: 5, partition: .count(4), maxUnavailable: .count(2)), pods: pods(old: 1, new: 4), expected: .init()),
        Row(
            name: "scale 5 -> 3: two old pods go, three ready ones may",
            spec: .init(replicas: 3), pods: pods(old: 2, new: 3),
            expected: .init(scaleDownNum: 2, scaleDownNumOldRevision: 2, deleteReadyLimit: 3)),
        Row(
            name: "an unavailable old pod uses the scale budget (scaleStrategy.maxUnavailable 2)",
            spec: .init(replicas: 6, partition: .count(6), scaleMaxUnavailable: .count(2)), pods: pods(old: 3, unavailableOld: 1),
            expected: .init(scaleUpNum: 3, scaleUpNumOldRevision: 3, scaleUpLimit: 1)),
    ]

    @Test(arguments: rows)
    func diffs(_ row: Row) {
        let got = ExpectationDiffs.compute(row.spec, pods: row.pods)
        #expect(got == row.expected, "\(row.name): \(got)")
    }

    @Test func partitionRounding() {
        #expect(UpdateBudget.partition(nil, replicas: 5) == 0)
        #expect(UpdateBudget.partition(.percent(50), replicas: 5) == 3)
        // A percentage that rounds up to every replica leaves one to update, unless it is 100%.
        #expect(UpdateBudget.partition(.percent(99), replicas: 5) == 4)
        #expect(UpdateBudget.partition(.percent(100), replicas: 5) == 5)
        #expect(UpdateBudget.partition(.percent(99), replicas: 1) == 1)
        #expect(UpdateBudget.partition(.count(7), replicas: 5) == 5)
        #expect(UpdateBudget.partition(.count(-1), replicas: 5) == 0)
    }

    @Test func maxUnavailableRoundsUpWithoutSurgeAndDownWithIt() {
        #expect(UpdateBudget.maxUnavailable(nil, replicas: 5, maxSurge: 0) == 1)
        #expect(UpdateBudget.maxUnavailable(nil, replicas: 7, maxSurge: 0) == 2)
        #expect(UpdateBudget.maxUnavailable(nil, replicas: 7, maxSurge: 1) == 1)
        #expect(UpdateBudget.maxUnavailable(.percent(20), replicas: 3, maxSurge: 1) == 0)
        #expect(UpdateBudget.maxSurge(.percent(10), replicas: 15, paused: false) == 2)
        #expect(UpdateBudget.maxSurge(.percent(10), replicas: 15, paused: true) == 0)
    }

    @Test func intOrPercentParsing() throws {
        #expect(try IntOrPercent(parsing: "5", field: "x") == .count(5))
        #expect(try IntOrPercent(parsing: "30%", field: "x") == .percent(30))
        #expect(throws: IntOrPercentError(field: "spec.updateStrategy.partition", value: "half")) {
            try IntOrPercent(parsing: "half", field: "spec.updateStrategy.partition")
        }
    }
}

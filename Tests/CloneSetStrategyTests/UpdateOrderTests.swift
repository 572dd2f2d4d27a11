import CloneSetStrategy
import Testing

/// The update order and the maxUnavailable limit of OpenKruise's CloneSet update.
struct UpdateOrderTests {
    @Test func activePodsOrder() {
        let pods = [
            PodRank(name: "ready-long", readySince: 50, created: 1),
            PodRank(name: "ready-recent", readySince: 100, created: 1),
            PodRank(name: "not-ready", ready: false, created: 1),
            PodRank(name: "pending", phase: .pending, ready: false, created: 1),
            PodRank(name: "unassigned", assigned: false, phase: .pending, ready: false, created: 1),
            PodRank(name: "restarted", readySince: 50, restarts: 3, created: 1),
            PodRank(name: "newer", readySince: 50, created: 9),
        ]
        let order = UpdateOrder.sort(Array(pods.indices), pods: pods, priority: nil).map { pods[$0].name }
        #expect(order == ["unassigned", "pending", "not-ready", "ready-recent", "restarted", "newer", "ready-long"])
    }

    @Test func weightPriorityThenPreparingUpdate() {
        let pods = [
            PodRank(name: "plain", created: 5),
            PodRank(name: "zone-a", labels: ["zone": "a"], created: 4),
            PodRank(name: "canary", labels: ["tier": "canary"], created: 3),
            PodRank(name: "canary-a", labels: ["tier": "canary", "zone": "a"], created: 2),
            PodRank(name: "preparing", created: 1, preparingUpdate: true),
        ]
        let terms: [(weight: Int, matchLabels: [String: String])] = [(100, ["tier": "canary"]), (10, ["zone": "a"])]
        let order = UpdateOrder.sort(Array(pods.indices), pods: pods, priority: .weight(terms)).map { pods[$0].name }
        #expect(order == ["preparing", "canary-a", "canary", "zone-a", "plain"])
    }

    @Test func orderPriorityPutsPodsWithoutTheKeysFirstAndLargerNumbersFirst() {
        let pods = [
            PodRank(name: "b1", labels: ["batch": "b-1"], created: 3),
            PodRank(name: "b10", labels: ["batch": "b-10"], created: 2),
            PodRank(name: "none", created: 1),
            PodRank(name: "second-key", labels: ["wave": "7"], created: 4),
        ]
        let order = UpdateOrder.sort(Array(pods.indices), pods: pods, priority: .order(["batch", "wave"])).map { pods[$0].name }
        #expect(order == ["none", "b10", "b1", "second-key"])
    }

    @Test func scatterAfterPriority() {
        // Six pods in ActivePods order (newest first); the two canaries (weight 100) lead, then
        // the three foo=bar pods are spread by the scatter strategy.
        let pods = (0..<6).map { i in
            PodRank(
                name: "p\(i)", labels: (i < 3 ? ["foo": "bar"] : [:]).merging(i == 5 ? ["tier": "canary"] : [:]) { a, _ in a },
                created: Double(10 - i))
        }
        let order = UpdateOrder.sort(
            Array(pods.indices), pods: pods, priority: .weight([(100, ["tier": "canary"])]),
            scatter: [ScatterOrder.Term(key: "foo", value: "bar")]
        ).map { pods[$0].name }
        #expect(order.count == 6 && Set(order).count == 6)
        #expect(order != ["p5", "p0", "p1", "p2", "p3", "p4"], "scattered: the foo=bar pods are not kept together")
        #expect(order.last == "p2", "the last foo=bar pod is kept for the end")
    }

    struct LimitRow: Sendable, CustomStringConvertible {
        var name: String
        var updateNum: Int
        var maxUnavailable: Int
        var available: [Bool]
        var onTarget: [Bool]
        var ordered: [Int]
        var expected: [Int]
        var description: String { name }
    }

    static let limits: [LimitRow] = [
        LimitRow(
            name: "all available, maxUnavailable 1: one at a time", updateNum: 3, maxUnavailable: 1, available: [true, true, true],
            onTarget: [false, false, false], ordered: [0, 1, 2], expected: [0]),
        LimitRow(
            name: "maxUnavailable 2 takes two", updateNum: 3, maxUnavailable: 2, available: [true, true, true],
            onTarget: [false, false, false], ordered: [2, 0, 1], expected: [2, 0]),
        LimitRow(
            name: "an old pod already unavailable is updated at no cost, but then the budget is used", updateNum: 3,
            maxUnavailable: 1, available: [false, true, true], onTarget: [false, false, false], ordered: [0, 1, 2], expected: [0]),
        LimitRow(
            name: "a new-revision pod that is not available stops the rollout (the bad revision case)", updateNum: 2,
            maxUnavailable: 1, available: [false, true, true], onTarget: [true, false, false], ordered: [1, 2], expected: []),
        LimitRow(
            name: "never more than |updateNum| (a rollback counts by size)", updateNum: -1, maxUnavailable: 3,
            available: [true, true, true], onTarget: [false, false, false], ordered: [1, 2, 0], expected: [1]),
    ]

    @Test(arguments: limits)
    func limit(_ row: LimitRow) {
        let diffs = ExpectationDiffs(updateNum: row.updateNum, updateMaxUnavailable: row.maxUnavailable)
        #expect(UpdateOrder.limit(row.ordered, diffs: diffs, available: row.available, onTarget: row.onTarget) == row.expected)
    }
}

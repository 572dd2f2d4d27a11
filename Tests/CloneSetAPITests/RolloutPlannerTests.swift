import CloneSetAPI
import CloneSetStrategy
import Testing

struct RolloutPlannerTests {
    static func spec(
        replicas: Int = 5, policy: RolloutSpec.PodUpdatePolicy = .inPlaceIfPossible, partition: IntOrPercent? = nil,
        maxUnavailable: IntOrPercent = .count(1), paused: Bool = false, priority: PriorityStrategy? = nil
    ) -> RolloutSpec {
        RolloutSpec(
            apiVersion: "apps.kruise.io/v1beta1", replicas: replicas, podUpdatePolicy: policy, onDelete: false, partition: partition,
            maxUnavailable: maxUnavailable, maxSurge: nil, paused: paused, priority: priority, scatter: [], gracePeriodSeconds: 0,
            minReadySeconds: 0, podsToDelete: [])
    }

    /// Five running pods, p0 the oldest, p4 the newest.
    static let pods = (0..<5).map {
        RolloutPlanner.Pod(rank: PodRank(name: "p\($0)", labels: $0 == 3 ? ["canary": "yes"] : [:], created: Double($0)), updated: false)
    }
    static let image = InPlacePlan.inPlace(images: ["app": "nginx:1.26"], labels: [:], annotations: [:])

    @Test func oneAtATimeNewestFirstDownToThePartition() {
        let plan = RolloutPlanner.plan(spec: Self.spec(partition: .count(2)), pods: Self.pods, change: Self.image)
        #expect(plan.mode == .inPlace)
        #expect(plan.waves == [["p4"], ["p3"], ["p2"]])
        #expect(plan.kept == ["p0", "p1"])
    }

    @Test func maxUnavailableMakesWavesAndPriorityLeads() {
        let plan = RolloutPlanner.plan(
            spec: Self.spec(maxUnavailable: .percent(40), priority: .weight([(100, ["canary": "yes"])])), pods: Self.pods,
            change: Self.image)
        #expect(plan.waves == [["p3", "p4"], ["p2", "p1"], ["p0"]])
        #expect(plan.kept.isEmpty)
    }

    @Test func modes() {
        #expect(RolloutPlanner.plan(spec: Self.spec(policy: .reCreate), pods: Self.pods, change: Self.image).mode == .recreate)
        #expect(
            RolloutPlanner.plan(spec: Self.spec(), pods: Self.pods, change: .recreate(firstDifference: "/spec/containers/0/env")).mode
                == .recreate)
        #expect(
            RolloutPlanner.plan(
                spec: Self.spec(policy: .inPlaceOnly), pods: Self.pods, change: .recreate(firstDifference: "/spec/containers/0/env")
            )
            .mode == .refused("only allowed to update images in spec for InPlaceOnly, but found replace /spec/containers/0/env"))
        let paused = RolloutPlanner.plan(spec: Self.spec(paused: true), pods: Self.pods, change: Self.image)
        #expect(paused.mode == .paused && paused.waves.isEmpty)
        let done = Self.pods.map { RolloutPlanner.Pod(rank: $0.rank, updated: true) }
        #expect(
            RolloutPlanner.plan(spec: Self.spec(), pods: done, change: .inPlace(images: [:], labels: [:], annotations: [:])).mode
                == .nothing)
    }
}

import CloneSetStrategy

/// What a change to a CloneSet would do, before it is made (`inplacectl rollout plan`): which
/// pods move to the new revision, in which waves and order, in place or recreated, computed by
/// the same functions the controller runs (``ExpectationDiffs``, ``UpdateOrder``,
/// ``InPlacePlan``), each wave assumed to finish and become available before the next.
public struct RolloutPlan: Sendable, Hashable {
    public enum Mode: Sendable, Hashable {
        case inPlace
        case recreate
        /// InPlaceOnly and the change cannot be done in place: kruise's refusal.
        case refused(String)
        /// The template did not change.
        case nothing
        /// `paused`: no pod is updated until it is resumed.
        case paused
    }

    public var mode: Mode
    /// Pod names per wave, in update order.
    public var waves: [[String]]
    /// Pods that stay on their revision (the partition).
    public var kept: [String]
}

public enum RolloutPlanner {
    /// One pod of the set as the planner sees it.
    public struct Pod: Sendable, Hashable {
        public var rank: PodRank
        /// Already on the new revision.
        public var updated: Bool

        public init(rank: PodRank, updated: Bool) {
            self.rank = rank
            self.updated = updated
        }
    }

    /// The plan for `spec` (the new CloneSet) over `pods`, whose template changes as `change`.
    public static func plan(spec: RolloutSpec, pods: [Pod], change: InPlacePlan) -> RolloutPlan {
        let mode: RolloutPlan.Mode
        switch change {
        case .inPlace(let images, let labels, let annotations) where images.isEmpty && labels.isEmpty && annotations.isEmpty:
            if pods.allSatisfy(\.updated) { return RolloutPlan(mode: .nothing, waves: [], kept: []) }
            mode = spec.podUpdatePolicy == .reCreate ? .recreate : .inPlace
        case .inPlace:
            mode = spec.podUpdatePolicy == .reCreate ? .recreate : .inPlace
        case .recreate(let path):
            if spec.podUpdatePolicy == .inPlaceOnly {
                return RolloutPlan(
                    mode: .refused("only allowed to update images in spec for InPlaceOnly, but found replace \(path)"), waves: [],
                    kept: pods.map(\.rank.name))
            }
            mode = .recreate
        }
        if spec.paused || spec.onDelete {
            return RolloutPlan(mode: .paused, waves: [], kept: pods.map(\.rank.name))
        }
        var updated = pods.map(\.updated)
        var waves: [[String]] = []
        // Without surge in the plan: an in-place update creates no extra pod (B12).
        var budget = spec.scaleAndUpdate(revisionsDiffer: true)
        budget.maxSurge = nil
        while waves.count <= pods.count {
            let summaries = updated.map { PodSummary(updated: $0) }
            let diffs = ExpectationDiffs.compute(budget, pods: summaries)
            guard diffs.updateNum > 0 else { break }
            let candidates = pods.indices.filter { !updated[$0] }
            let ordered = UpdateOrder.sort(candidates, pods: pods.map(\.rank), priority: spec.priority, scatter: spec.scatter)
            let wave = UpdateOrder.limit(
                ordered, diffs: diffs, available: Array(repeating: true, count: pods.count), onTarget: updated)
            guard !wave.isEmpty else { break }
            for i in wave { updated[i] = true }
            waves.append(wave.map { pods[$0].rank.name })
        }
        let kept = pods.indices.filter { !updated[$0] }.map { pods[$0].rank.name }
        return RolloutPlan(mode: mode, waves: waves, kept: kept)
    }
}

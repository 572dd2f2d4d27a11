/// What a CloneSet needs done now, as OpenKruise's `calculateDiffsWithExpectation` decides it
/// from the spec and the pods: how many pods to create or delete (and how many of those on the
/// old revision), how many to move to the update revision, and within which budgets. A pure
/// function: the controller carries out its result.
public struct ExpectationDiffs: Sendable, Hashable, CustomStringConvertible {
    /// Pods to create (non-negative).
    public var scaleUpNum = 0
    /// Of those, how many may be on the current (old) revision; may exceed ``scaleUpNum``.
    public var scaleUpNumOldRevision = 0
    /// Pods to delete, not counting those already named for deletion.
    public var scaleDownNum = 0
    /// Of those, how many should be old-revision pods.
    public var scaleDownNumOldRevision = 0
    /// At most this many of the ``scaleUpNum`` pods now (`scaleStrategy.maxUnavailable`).
    public var scaleUpLimit = 0
    /// At most this many ready pods may be deleted now (`maxUnavailable` plus the surplus pods).
    public var deleteReadyLimit = 0
    /// Pods to keep above `replicas` for now (maxSurge in use).
    public var useSurge = 0
    /// Of ``useSurge``, how many are old-revision pods.
    public var useSurgeOldRevision = 0
    /// Pods to move to the update revision (positive) or back to the current one (negative).
    public var updateNum = 0
    /// At most this many pods may be unavailable while updating (`maxUnavailable` plus the
    /// surplus pods).
    public var updateMaxUnavailable = 0

    public init(
        scaleUpNum: Int = 0, scaleUpNumOldRevision: Int = 0, scaleDownNum: Int = 0, scaleDownNumOldRevision: Int = 0,
        scaleUpLimit: Int = 0, deleteReadyLimit: Int = 0, useSurge: Int = 0, useSurgeOldRevision: Int = 0, updateNum: Int = 0,
        updateMaxUnavailable: Int = 0
    ) {
        self.scaleUpNum = scaleUpNum
        self.scaleUpNumOldRevision = scaleUpNumOldRevision
        self.scaleDownNum = scaleDownNum
        self.scaleDownNumOldRevision = scaleDownNumOldRevision
        self.scaleUpLimit = scaleUpLimit
        self.deleteReadyLimit = deleteReadyLimit
        self.useSurge = useSurge
        self.useSurgeOldRevision = useSurgeOldRevision
        self.updateNum = updateNum
        self.updateMaxUnavailable = updateMaxUnavailable
    }

    public var description: String {
        "scaleUp \(scaleUpNum) (old \(scaleUpNumOldRevision), limit \(scaleUpLimit)), scaleDown \(scaleDownNum) (old \(scaleDownNumOldRevision), ready limit \(deleteReadyLimit)), surge \(useSurge) (old \(useSurgeOldRevision)), update \(updateNum) (max unavailable \(updateMaxUnavailable))"
    }
}

/// One pod of the set, as the diff sees it.
public struct PodSummary: Sendable, Hashable {
    /// On the update revision.
    public var updated: Bool
    /// In the `PreparingDelete` lifecycle state (not counted as active).
    public var preparingDelete: Bool
    /// Named in `scaleStrategy.podsToDelete` or labelled `apps.kruise.io/specified-delete`.
    public var specifiedDelete: Bool
    /// Ready for `minReadySeconds`, its in-place update (if any) done, in the Normal lifecycle state.
    public var available: Bool

    public init(updated: Bool, available: Bool = true, specifiedDelete: Bool = false, preparingDelete: Bool = false) {
        self.updated = updated
        self.available = available
        self.specifiedDelete = specifiedDelete
        self.preparingDelete = preparingDelete
    }
}

/// The spec fields the diff reads.
public struct ScaleAndUpdateSpec: Sendable, Hashable {
    public var replicas: Int
    public var partition: IntOrPercent?
    public var maxUnavailable: IntOrPercent?
    public var maxSurge: IntOrPercent?
    public var paused: Bool
    /// `scaleStrategy.maxUnavailable` (nil: no limit).
    public var scaleMaxUnavailable: IntOrPercent?
    /// Whether the update revision differs from the current one (a rollback below the partition
    /// is possible only then, with kruise's `CloneSetPartitionRollback`).
    public var revisionsDiffer: Bool
    /// kruise's `CloneSetPartitionRollback` feature: pods above a raised partition go back.
    public var partitionRollback: Bool
    /// `scaleStrategy.excludePreparingDelete`.
    public var excludePreparingDelete: Bool

    public init(
        replicas: Int, partition: IntOrPercent? = nil, maxUnavailable: IntOrPercent? = nil, maxSurge: IntOrPercent? = nil,
        paused: Bool = false, scaleMaxUnavailable: IntOrPercent? = nil, revisionsDiffer: Bool = true, partitionRollback: Bool = false,
        excludePreparingDelete: Bool = false
    ) {
        self.replicas = replicas
        self.partition = partition
        self.maxUnavailable = maxUnavailable
        self.maxSurge = maxSurge
        self.paused = paused
        self.scaleMaxUnavailable = scaleMaxUnavailable
        self.revisionsDiffer = revisionsDiffer
        self.partitionRollback = partitionRollback
        self.excludePreparingDelete = excludePreparingDelete
    }
}

extension ExpectationDiffs {
    /// The diffs of `spec` and `pods`, as OpenKruise's `calculateDiffsWithExpectation`:
    /// - the update moves `activeOld - partition` pods forward or `activeNew - (replicas -
    ///   partition)` back, whichever is smaller in size (back only with partition rollback);
    /// - with maxSurge, surge covers pods named for deletion while too many are unavailable, or
    ///   the update's size, at most maxSurge; scaling and updating are never both served by it;
    /// - scale up/down to `replicas + surge`, `partition + old surge` of them old.
    public static func compute(_ spec: ScaleAndUpdateSpec, pods: [PodSummary]) -> ExpectationDiffs {
        let replicas = spec.replicas
        let partition = UpdateBudget.partition(spec.partition, replicas: replicas)
        let maxSurge = UpdateBudget.maxSurge(spec.maxSurge, replicas: replicas, paused: spec.paused)
        let maxUnavailable = UpdateBudget.maxUnavailable(spec.maxUnavailable, replicas: replicas, maxSurge: maxSurge)
        let scaleMaxUnavailable = spec.scaleMaxUnavailable.map { $0.scaled(total: replicas, roundUp: true) } ?? Int(Int32.max)

        var new = RevisionTally()
        var old = RevisionTally()
        for pod in pods {
            if pod.updated { new.add(pod) } else { old.add(pod) }
        }
        var updateOldDiff = old.active - partition
        var updateNewDiff = new.active - (replicas - partition)
        let totalUnavailable = new.preparingDelete + old.preparingDelete + new.unavailable + old.unavailable
        if !spec.revisionsDiffer || !spec.partitionRollback {
            updateOldDiff = max(updateOldDiff, 0)
            updateNewDiff = min(updateNewDiff, 0)
        }

        var result = ExpectationDiffs()
        if maxSurge > 0 {
            var scaleSurge = 0
            var scaleOldSurge = 0
            let toDelete = new.toDelete + old.toDelete
            if toDelete > 0 {
                scaleSurge = min(max(totalUnavailable + toDelete - maxUnavailable, 0), toDelete)
                if scaleSurge > new.toDelete { scaleOldSurge = scaleSurge - new.toDelete }
            }
            var updateSurge = 0
            var updateOldSurge = 0
            // Surge for the update only when the two diffs point opposite ways.
            if (updateOldDiff > 0 && updateNewDiff < 0) || (updateOldDiff < 0 && updateNewDiff > 0) {
                if abs(updateOldDiff) <= abs(updateNewDiff) {
                    updateSurge = abs(updateOldDiff)
                    if updateOldDiff < 0 { updateOldSurge = updateSurge }
                } else {
                    updateSurge = abs(updateNewDiff)
                    if updateNewDiff > 0 { updateOldSurge = updateSurge }
                }
            }
            if scaleSurge >= updateSurge {
                result.useSurge = min(maxSurge, scaleSurge)
                result.useSurgeOldRevision = min(result.useSurge, scaleOldSurge)
            } else {
                result.useSurge = min(maxSurge, updateSurge)
                result.useSurgeOldRevision = min(result.useSurge, updateOldSurge)
            }
        }

        var totalCount = pods.count
        var totalOldCount = old.count
        if spec.excludePreparingDelete {
            totalCount -= old.preparingDelete + new.preparingDelete
            totalOldCount -= old.preparingDelete
        }
        let expectedTotal = replicas + result.useSurge
        let expectedOld = partition + result.useSurgeOldRevision
        if expectedTotal - totalCount > 0 {
            result.scaleUpNum = expectedTotal - totalCount
            result.scaleUpNumOldRevision = max(expectedOld - totalOldCount, 0)
            result.scaleUpLimit = min(result.scaleUpNum, max(scaleMaxUnavailable - totalUnavailable, 0))
        }
        let surplus = totalCount - old.toDelete - new.toDelete - expectedTotal
        if surplus > 0 {
            result.scaleDownNum = surplus
            result.scaleDownNumOldRevision = max(totalOldCount - old.toDelete - expectedOld, 0)
        }
        if new.toDelete > 0 || old.toDelete > 0 || result.scaleDownNum > 0 {
            result.deleteReadyLimit = max(maxUnavailable + (pods.count - replicas) - totalUnavailable, 0)
        }
        result.updateNum = abs(updateOldDiff) <= abs(updateNewDiff) ? updateOldDiff : -updateNewDiff
        if result.updateNum != 0 { result.updateMaxUnavailable = maxUnavailable + pods.count - replicas }
        return result
    }
}

/// The pods of one revision, counted.
struct RevisionTally {
    var count = 0
    var active = 0
    var preparingDelete = 0
    var toDelete = 0
    var unavailable = 0

    mutating func add(_ pod: PodSummary) {
        count += 1
        if pod.preparingDelete {
            preparingDelete += 1
            return
        }
        active += 1
        if pod.specifiedDelete {
            toDelete += 1
        } else if !pod.available {
            unavailable += 1
        }
    }
}

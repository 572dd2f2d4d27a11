import CloneSetAPI
import CloneSetStrategy
import Foundation
import PodAPI

/// One CloneSet sync decided as OpenKruise's CloneSet controller decides it
/// (`cloneset_controller.go syncCloneSet`): revisions, then scale (creating and deleting pods
/// per ``ExpectationDiffs``), and only when nothing was scaled the update (in update order,
/// limited by maxUnavailable, in place where the change allows), then the status. Pure: the
/// ``CloneSetWriter`` carries out the plan.
public enum CloneSetSync {
    /// The most pods one sync creates (kruise creates in slow-start batches within a reconcile).
    public static let maxCreatesPerSync = 500

    /// The plan for `input`; `newID` gives each new pod's 5-character instance id.
    public static func decide(_ input: SyncInput, newID: () -> String) -> SyncPlan {
        var plan = SyncPlan()
        let set = input.set
        let spec = input.spec
        let setName = set["metadata"]?.string("name") ?? ""
        let collisionCount = Int(set["status"]?.integer("collisionCount") ?? 0)
        let template = set["spec"]?["template"] ?? .object([:])
        let update = CloneSetPods.revision(setName: setName, template: template, collisionCount: collisionCount)

        // Revisions: the update revision's object, and the templates of the known ones.
        var templates: [String: JSONValue] = [update.name: template]
        var numbers: [String: Int] = [:]
        for r in input.revisions {
            guard let name = r["metadata"]?.string("name") else { continue }
            numbers[name] = Int(r.integer("revision") ?? 0)
            if name != update.name, var t = r["data"]?["spec"]?["template"] {
                t.set("$patch", nil)
                templates[name] = t
            }
        }
        if numbers[update.name] == nil {
            plan.revisionToCreate = CloneSetPods.controllerRevision(
                set: set, revision: update, number: (numbers.values.max() ?? 0) + 1)
        }

        let active = input.pods.map { PodFacts($0) }.filter { !$0.terminating }
        let statusRevision = set["status"]?.string("currentRevision")
        var current = statusRevision.flatMap { templates[$0] != nil ? $0 : nil } ?? update.name
        if !active.isEmpty, active.count == spec.replicas, active.allSatisfy({ $0.revision == update.name }) { current = update.name }

        // Pods that the decision counts.
        let toDelete = Set(spec.podsToDelete)
        let available = active.map { CloneSetStatus.readiness($0.object, minReadySeconds: spec.minReadySeconds, now: input.now).available }
        let updated = active.map { $0.revision == update.name }
        let specified = active.map { toDelete.contains($0.name) || $0.labels[PodFacts.specifiedDeleteLabel] == "true" }
        let summaries = active.indices.map {
            PodSummary(updated: updated[$0], available: available[$0], specifiedDelete: specified[$0])
        }
        let change = InPlacePlan.plan(old: templates[current] ?? template, new: template)
        var budget = spec.scaleAndUpdate(revisionsDiffer: current != update.name)
        if spec.podUpdatePolicy != .reCreate, case .inPlace = change {
            budget.maxSurge = nil  // an update done in place needs no extra pod (B12)
        }
        let diffs = ExpectationDiffs.compute(budget, pods: summaries)

        let scaled = scale(
            input, active: active, specified: specified, available: available, updated: updated, diffs: diffs,
            current: (current, templates[current]), update: update, newID: newID, plan: &plan)
        refresh(input, active: active, plan: &plan)
        if !scaled, !spec.paused, !spec.onDelete, diffs.updateNum > 0 {
            updatePods(
                input, active: active, available: available, updated: updated, diffs: diffs, templates: templates,
                update: update, plan: &plan)
        }
        plan.revisionsToDelete = oldRevisions(input, active: active, keep: [current, update.name])
        plan.status = CloneSetStatus.compute(
            set: set, spec: spec, pods: active.map(\.object), currentRevision: current, updateRevision: update.name,
            collisionCount: collisionCount, now: input.now)
        let progress = Progress.evaluate(set: set, status: plan.status, specReplicas: spec.replicas, paused: spec.paused, now: input.now)
        if let condition = progress.condition {
            let others = set["status"]?.array("conditions").filter { $0.string("type") != "Progressing" } ?? []
            plan.status.set("conditions", .array(others + [condition]))
        } else if let conditions = set["status"]?["conditions"] {
            plan.status.set("conditions", conditions)
        }
        if let event = progress.event { plan.events.append(event) }
        if progress.rollback, current != update.name, let previous = templates[current] {
            plan.rollback = (current, previous)
            plan.events.append(
                .init(
                    type: "Warning", reason: "RolledBack",
                    message: "rolled back to revision \(current) after ProgressDeadlineExceeded (\(Progress.rollbackAnnotation))"))
        }
        if let after = progress.recheckAfterSeconds { plan.requeueAfterSeconds = min(plan.requeueAfterSeconds ?? .infinity, after) }
        if spec.minReadySeconds > 0, available.contains(false) {
            plan.requeueAfterSeconds = min(plan.requeueAfterSeconds ?? .infinity, Double(spec.minReadySeconds))
        }
        return plan
    }

    /// Creates and deletes pods toward `replicas` (kruise's `Scale`): the pods named for deletion
    /// first, then new pods (the old-revision share at the current revision), then surplus pods
    /// in ActivePods order, old-revision ones first. Returns whether it scaled.
    static func scale(
        _ input: SyncInput, active: [PodFacts], specified: [Bool], available: [Bool], updated: [Bool], diffs: ExpectationDiffs,
        current: (name: String, template: JSONValue?), update: (name: String, hash: String), newID: () -> String,
        plan: inout SyncPlan
    ) -> Bool {
        var scaled = false
        // An unavailable pod is deleted at once, an available one within the ready budget.
        var readyBudget = diffs.deleteReadyLimit
        func delete(_ i: Int) {
            if available[i] {
                guard readyBudget > 0 else { return }
                readyBudget -= 1
            }
            plan.deletes.append(active[i].ref)
            plan.events.append(.init(type: "Normal", reason: "SuccessfulDelete", message: "succeed to delete pod \(active[i].name)"))
            scaled = true
        }
        // Named for deletion first.
        for i in active.indices where specified[i] { delete(i) }
        if diffs.scaleUpNum > 0 {
            // At most `maxCreatesPerSync` per sync: the next sync reads the set again, so a
            // scale-down or a deletion stops a large scale-up between batches.
            let count = min(diffs.scaleUpNum, diffs.scaleUpLimit, maxCreatesPerSync)
            let old = current.name == update.name || current.template == nil ? 0 : min(diffs.scaleUpNumOldRevision, count)
            for n in 0..<count {
                var set = input.set
                let revision: (name: String, hash: String)
                if n < old, let template = current.template {
                    set.set("spec", (set["spec"] ?? .object([:])).with("template", template))
                    revision = (current.name, String(current.name.split(separator: "-").last ?? ""))
                } else {
                    revision = update
                }
                let pod = CloneSetPods.newPod(set: set, revision: revision, id: newID(), policy: input.spec.podUpdatePolicy)
                plan.creates.append(pod)
                let name = pod["metadata"]?.string("name") ?? ""
                plan.events.append(.init(type: "Normal", reason: "SuccessfulCreate", message: "succeed to create pod \(name)"))
            }
            scaled = scaled || count > 0
        } else if diffs.scaleDownNum > 0 {
            let ranks = active.map(\.rank)
            let candidates = active.indices.filter { !specified[$0] }
            let byActive = candidates.sorted { UpdateOrder.activeFirst(ranks[$0], ranks[$1]) }
            var chosen: [Int] = Array(byActive.filter { !updated[$0] }.prefix(diffs.scaleDownNumOldRevision))
            for i in byActive where chosen.count < diffs.scaleDownNum && !chosen.contains(i) { chosen.append(i) }
            for i in chosen.prefix(diffs.scaleDownNum) { delete(i) }
        }
        return scaled
    }

    /// Kruise's `Refresh` of each pod: a gate that has no condition yet opens; an in-place update
    /// whose grace ran out gets its images; one whose new containers run is done (the gate opens).
    static func refresh(_ input: SyncInput, active: [PodFacts], plan: inout SyncPlan) {
        for pod in active {
            if pod.hasGate, pod.gate == nil, pod.inPlaceState == nil {
                plan.openGates.append(pod.ref)
                continue
            }
            guard pod.updateInProgress, let state = pod.inPlaceState else { continue }
            if let graceText = pod.annotations[PodFacts.graceAnnotation] {
                guard let grace = InPlaceGrace.parse(graceText) else { continue }
                let started = Time.parse(state.updateTimestamp)?.date ?? input.now
                let left = started.addingTimeInterval(Double(grace.graceSeconds)).timeIntervalSince(input.now)
                if left > 0 {
                    plan.requeueAfterSeconds = min(plan.requeueAfterSeconds ?? .infinity, left)
                    continue
                }
                var patch = InPlaceSteps.imagePatch(grace.containerImages)
                patch.set(
                    "metadata", ["resourceVersion": .string(pod.ref.resourceVersion), "annotations": [PodFacts.graceAnnotation: .null]])
                plan.inPlace.append(.init(pod: pod.ref, closeGate: false, patch: patch, event: grace.event(pod: pod.name)))
                continue
            }
            let verdict = InPlaceCompletion.check(
                state: state, specImages: pod.specImages, statuses: pod.object["status"]?.array("containerStatuses") ?? [])
            if verdict == .done, pod.hasGate { plan.openGates.append(pod.ref) }
        }
    }

    /// Moves the pods the diffs allow to the update revision, in update order within
    /// maxUnavailable: in place when the pod's revision's template differs from the new one
    /// only in images and metadata and the policy allows; else labelled for recreation
    /// (InPlaceIfPossible, ReCreate) or refused (InPlaceOnly).
    static func updatePods(
        _ input: SyncInput, active: [PodFacts], available: [Bool], updated: [Bool], diffs: ExpectationDiffs,
        templates: [String: JSONValue], update: (name: String, hash: String), plan: inout SyncPlan
    ) {
        let spec = input.spec
        let ranks = active.map(\.rank)
        let candidates = active.indices.filter {
            !updated[$0] && active[$0].labels[PodFacts.specifiedDeleteLabel] != "true" && !spec.podsToDelete.contains(active[$0].name)
        }
        let ordered = UpdateOrder.sort(candidates, pods: ranks, priority: spec.priority, scatter: spec.scatter)
        let wave = UpdateOrder.limit(ordered, diffs: diffs, available: available, onTarget: updated)
        let newTemplate = templates[update.name] ?? .object([:])
        for i in wave {
            let pod = active[i]
            let change =
                pod.revision.flatMap { templates[$0] }.map { InPlacePlan.plan(old: $0, new: newTemplate) }
                ?? .recreate(firstDifference: "/spec")
            switch (spec.podUpdatePolicy, change) {
            case (.inPlaceIfPossible, .inPlace(let images, let labels, let annotations)),
                (.inPlaceOnly, .inPlace(let images, let labels, let annotations)):
                plan.inPlace.append(
                    InPlaceSteps.start(
                        pod: pod, revision: update, images: images, labels: labels, annotations: annotations,
                        graceSeconds: spec.gracePeriodSeconds, now: input.now))
                if spec.gracePeriodSeconds > 0 {
                    plan.requeueAfterSeconds = min(plan.requeueAfterSeconds ?? .infinity, Double(spec.gracePeriodSeconds))
                }
            case (.inPlaceOnly, .recreate):
                plan.events.append(
                    .init(type: "Warning", reason: "FailedUpdatePodInPlace", message: InPlacePlan.inPlaceOnlyMessage(pod: pod.name)))
            default:
                plan.markForRecreate.append(pod.ref)
                plan.events.append(
                    .init(
                        type: "Normal", reason: "SuccessfulUpdatePodReCreate",
                        message: "successfully patch pod \(pod.name) specified-delete for update(revision \(update.name))"))
            }
        }
    }

    /// Revisions beyond `revisionHistoryLimit` (default 10) that no active pod uses, oldest first.
    static func oldRevisions(_ input: SyncInput, active: [PodFacts], keep: Set<String>) -> [String] {
        let limit = Int(input.set["spec"]?.integer("revisionHistoryLimit") ?? 10)
        let used = Set(active.compactMap(\.revision)).union(keep)
        let unused = input.revisions
            .filter { !used.contains($0["metadata"]?.string("name") ?? "") }
            .sorted { ($0.integer("revision") ?? 0) < ($1.integer("revision") ?? 0) }
            .compactMap { $0["metadata"]?.string("name") }
        return Array(unused.prefix(max(unused.count - limit, 0)))
    }
}

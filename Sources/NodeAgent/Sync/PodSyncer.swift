import ContainerRuntime
import Foundation
import Logging
import PodAPI
import Prober
import StateStore

/// Makes the runtime match one pod's desired spec, as kubelet's SyncPod: load the pod's records,
/// publish its status, observe the runtime, decide (``PodDecisions/computePodActions(_:)``), carry
/// the decision out through executors that get only a ``SyncContext``, and publish the status
/// again. Every step is written to the store before it is acted on.
final class PodSyncer: Sendable {
    let ctx: SyncContext
    let publisher: StatusPublisher
    let logger: Logger
    /// Pods whose leftovers (containers and sandboxes the store does not know, from a crash or a
    /// lost store) were cleaned since this agent started.
    let cleaned = LockedSet()
    /// Pods this agent created with a UID of its own: the runtime cannot hold anything of theirs
    /// from before, so there is nothing to adopt or clean (and no list call to pay per pod).
    let fresh = LockedSet()
    /// Each pod's spec, decoded once per stored version.
    let decoded = DecodedPods()

    init(ctx: SyncContext, publisher: StatusPublisher) {
        self.ctx = ctx
        self.publisher = publisher
        self.logger = ctx.logger
    }

    /// Whether the pod's runtime objects still need reconciling with the store this run.
    func needsReconcile(_ uid: String) -> Bool { !cleaned.contains(uid) && !fresh.contains(uid) }

    /// Loads the pod's state in one read.
    /// - Throws: the store's error, or a `DecodingError` for a stored pod that does not decode.
    func load(uid: String) throws -> SyncRun? {
        try ctx.store.read { r -> SyncRun? in
            guard let rec = try r.pod(uid: uid) else { return nil }
            let d = try decoded.pod(uid: uid, json: rec.podJSON)
            return SyncRun(
                uid: uid, record: rec, pod: d.pod, podSpecHash: d.specHash, containers: try r.containers(podUID: uid),
                conditions: try r.conditions(podUID: uid), sandboxes: try r.sandboxes(podUID: uid),
                updates: try r.updates(podUID: uid).filter { $0.finishedAt == nil })
        }
    }

    /// One sync of the pod with `uid`. Runtime errors are recorded as events and retried at the
    /// next wake-up; they never end the worker.
    func sync(uid: String) async -> SyncOutcome {
        let started = Date()
        defer { ctx.metrics.observeSync(seconds: Date().timeIntervalSince(started)) }
        let run: SyncRun
        do {
            guard let r = try load(uid: uid) else {
                decoded.remove(uid)
                return SyncOutcome(wakeAt: nil, gone: true)
            }
            run = r
        } catch {
            logger.error("sync: cannot load pod from the store", metadata: ["uid": "\(uid)", "error": "\(error)"])
            return SyncOutcome(wakeAt: Date().addingTimeInterval(1))
        }
        // The status first, from what the store holds, as kubelet generates it before acting
        // (skipped when it is the one cached: nothing it reads changed since).
        do {
            try await publisher.publish(run, reread: false, unlessUnchanged: true)
        } catch {
            logger.error("sync: cannot write status", metadata: ["pod": "\(run.key)", "error": "\(error)"])
        }
        // A step that must be seen before the next is taken (the closed gate, before the grace
        // period) ends its pass; the next pass follows at once on the same records, which the
        // pass has kept as it wrote them (no reload: the store holds the same).
        for _ in 0..<Self.maxPassesPerSync {
            run.continueAfterPublish = false
            let recordsBefore = run.containers
            do {
                try await syncPod(run)
            } catch is CancellationError {
                return SyncOutcome(wakeAt: nil)
            } catch {
                logger.warning("sync failed", metadata: ["pod": "\(run.key)", "error": "\(error)"])
                run.event(PendingEvent(type: "Warning", reason: EventReason.failedSync, message: "error syncing pod: \(error)"))
                run.wake(after: min(max(ctx.settings.backoffBaseSeconds, 1), 10))
                run.continueAfterPublish = false
            }
            if Task.isCancelled { return SyncOutcome(wakeAt: nil) }
            // The probe workers follow the containers this pass left running (an act), then the
            // status reads their results.
            ctx.probes.track(run, podIP: run.statusPodIP(nodeIP: ctx.settings.nodeIP) ?? "")
            do {
                try await publisher.publish(run)
            } catch {
                logger.error("sync: cannot write status", metadata: ["pod": "\(run.key)", "error": "\(error)"])
                run.wake(after: 1)
                if !run.replaced.isEmpty { reconcileLater(run.uid) }
                break
            }
            await removeReplaced(run)
            guard run.continueAfterPublish else { break }
            run.observed = Self.carried(run.observed, recordsBefore: recordsBefore, recordsNow: run.containers)
        }
        if run.continueAfterPublish { run.wake(after: 0) }
        return SyncOutcome(wakeAt: run.wakeups.min())
    }

    /// What the next pass of the same sync still knows of the runtime, as kubelet's one status
    /// snapshot per SyncPod: the sandbox seen ready and the containers whose records the pass
    /// left as they were (the pass did not act on them: what was seen of them moments ago
    /// stands). A container the pass acted on (its record changed) is looked at again. This
    /// spares the closed gate's second pass one PodSandboxStatus and one ContainerStatus per
    /// container; a change the runtime made meanwhile is found by the next relist or event, as
    /// kubelet finds it after its snapshot.
    static func carried(
        _ observed: RuntimeObservation, recordsBefore: [String: ContainerRecord], recordsNow: [String: ContainerRecord]
    ) -> RuntimeObservation {
        var next = RuntimeObservation()
        if case .ready = observed.sandbox { next.sandbox = observed.sandbox }
        for (name, rec) in recordsNow {
            guard let id = rec.containerID, recordsBefore[name] == rec, let seen = observed.containers[id] else { continue }
            next.containers[id] = seen
        }
        return next
    }

    /// Removes the containers the pass's in-place updates replaced, now that the status showing
    /// their successors is published. kubelet's StartContainer never waits for a dead
    /// container's removal (its garbage collector removes it later); here the new container
    /// runs one RemoveContainer sooner and the old one is gone by the end of the sync. A removal
    /// the runtime refuses is logged and left to the pod's next reconcile
    /// (``RuntimeReconciler/removeLeftovers(_:)``, asked for here), as is one an agent stopped
    /// before it could make.
    private func removeReplaced(_ run: SyncRun) async {
        let ids = run.replaced
        run.replaced.removeAll()
        for id in ids {
            do {
                try await ctx.runtime.removeContainer(id: id)
            } catch let e as RuntimeError where e.isNotFound {
            } catch {
                logger.warning(
                    "cannot remove the container an in-place update replaced; it is removed at the pod's next sync",
                    metadata: ["pod": "\(run.key)", "id": "\(id)", "error": "\(error)"])
                reconcileLater(run.uid)
                run.wake(after: Self.removalRetrySeconds(ctx))
            }
        }
    }

    /// Seconds until a removal the runtime refused is tried again: the restart back-off's base
    /// (kubelet's 10 s by default). A removal that keeps failing never fails the pod's sync.
    static func removalRetrySeconds(_ ctx: SyncContext) -> Double { max(ctx.settings.backoffBaseSeconds, 0.1) }

    /// Makes the pod's next sync reconcile its runtime objects with the store (remove what no
    /// record names).
    private func reconcileLater(_ uid: String) {
        cleaned.remove(uid)
        fresh.remove(uid)
    }

    /// Passes of one sync (each published) before the worker takes the pod up again.
    static let maxPassesPerSync = 4

    /// Observe, decide, act; again after an act that changes what the next decision sees (a new
    /// sandbox, an init container that finished or a sidecar that now runs).
    private func syncPod(_ run: SyncRun) async throws {
        let passes = (run.pod.spec.initContainers?.count ?? 0) + 3
        for _ in 0..<passes {
            try Task.checkCancellation()
            let terminal = run.record.terminalPhase != nil
            if !terminal { try await observe(run) }
            let actions = PodDecisions.computePodActions(input(run))
            switch actions.pod {
            case .killTerminated:
                try await InPlaceUpdater(ctx: ctx).abandonAll(run, because: "the pod is \(run.record.terminalPhase ?? "finished")")
                try await PodKiller(ctx: ctx).killContainers(run, reason: nil)
                return
            case .failDeadline:
                try await failForDeadline(run)
                return
            case .proceed:
                if let deadline = actions.wakeAt { run.wake(at: deadline) }
            }
            if actions.sandbox != .keep {
                guard try await SandboxExecutor(ctx: ctx).execute(actions.sandbox, run) else { return }
                // The containers were killed with the old sandbox: what was seen of them is stale.
                run.observed.containers.removeAll()
                continue
            }
            guard let sandbox = run.sandbox else { return }
            let executor = ContainerExecutor(
                ctx: ctx, run: run, sandboxID: sandbox.id, sandboxConfig: sandboxConfig(run, attempt: UInt32(sandbox.attempt)))
            let inits = run.pod.spec.initContainers ?? []
            for name in actions.sidecarUpdates {
                guard let ic = inits.first(where: { $0.name == name }) else { continue }
                try await executor.execute(ic, .advanceInPlaceUpdate)
            }
            switch actions.initContainers {
            case .blocked:
                return
            case .act(let name, let action, let recheck):
                guard let ic = inits.first(where: { $0.name == name }) else { return }
                try await executor.execute(ic, action)
                // Decide again at once when the init container is now done or (a sidecar) runs,
                // from a new look at the runtime (the act changed what was seen).
                let progressed = action == .recordDeath(restart: false) || run.containers[name]?.containerID != nil
                if recheck && progressed {
                    run.observed.containers.removeAll()
                    continue
                }
                return
            case .done:
                break
            }
            for item in actions.containers {
                try Task.checkCancellation()
                guard let c = run.pod.spec.containers.first(where: { $0.name == item.container }) else { continue }
                try await executor.execute(c, item.action)
                if item.action == .adopt {
                    // Adopted or not, decide this container again with what is now recorded.
                    try await observe(run)
                    var again = input(run)
                    again.needsReconcile = false
                    try await executor.execute(c, PodDecisions.containerAction(c, again))
                }
            }
            // Decided after the containers: an update may have completed in this very sync.
            let pending = PodDecisions.pendingInPlaceChange(run.pod, containers: run.containers, algorithm: ctx.settings.hashAlgorithm)
            if PodDecisions.shouldOpenGate(
                hasGate: run.pod.agentOwnsInPlaceGate(source: run.record.source), activeUpdates: run.updates.count, pendingChange: pending,
                conditions: run.conditions)
            {
                InPlaceUpdater(ctx: ctx).openGate(run)
            }
            if actions.removeLeftovers {
                if try await RuntimeReconciler(ctx: ctx).removeLeftovers(run) {
                    cleaned.insert(run.uid)
                } else {
                    run.wake(after: Self.removalRetrySeconds(ctx))
                }
            }
            return
        }
    }

    /// What the runtime holds for the pod: its recorded sandbox's state (unless a previous pass
    /// already knows it), the status of each recorded container the decision reads (an
    /// update's container and an unconfirmed start are looked at by their executors), and the
    /// new image of an in-place update about to pre-pull (``PodDecisions/imagesToLookAt(_:containers:updates:algorithm:now:)``).
    ///
    /// kubelet's GetPodStatus makes these calls one after the other, and its EnsureImageExists
    /// asks about the image later still; here they are made side by side (PodSandboxStatus, each
    /// ContainerStatus and ImageStatus are independent reads, and containerd serves them at
    /// once), so the look costs one call's latency instead of one per container and image.
    /// - Throws: the first ``RuntimeError`` other than not-found; the other calls are cancelled.
    private func observe(_ run: SyncRun) async throws {
        var sandboxID: String?
        if let sb = run.sandbox {
            if case .ready = run.observed.sandbox {} else { sandboxID = sb.id }
        } else {
            run.observed.sandbox = .unrecorded
        }
        var ids: [String] = []
        for (name, rec) in run.containers {
            // An update's container is looked at only while it is the old one, still running.
            guard let id = rec.containerID, run.updates[name].map({ $0.step.isBeforeStop }) ?? true, rec.lifecycle != .created,
                run.observed.containers[id] == nil
            else { continue }
            ids.append(id)
        }
        let images = PodDecisions.imagesToLookAt(
            run.pod, containers: run.containers, updates: run.updates, algorithm: ctx.settings.hashAlgorithm, now: Date()
        ).filter { image in run.observed.images[image] == nil && !run.ensuredImages.values.contains { $0.image == image } }
        let ctx = self.ctx
        if sandboxID == nil && ids.count <= 1 && images.isEmpty {
            // One call or none: no task group.
            for id in ids { run.observed.containers[id] = .some(try await ctx.containerStatusIfPresent(id)) }
            return
        }
        try await withThrowingTaskGroup(of: Observed.self) { group in
            if let sandboxID { group.addTask { .sandbox(try await Self.sandboxState(ctx, sandboxID)) } }
            for id in ids { group.addTask { .container(id, try await ctx.containerStatusIfPresent(id)) } }
            for image in images {
                // A failed look is no error of the sync's: the pre-pull asks again and reports it.
                group.addTask { (try? await ctx.runtime.imageStatus(image)).map { .image(image, $0) } ?? .imageUnknown }
            }
            for try await seen in group {
                switch seen {
                case .sandbox(let state): run.observed.sandbox = state
                case .container(let id, let status): run.observed.containers[id] = .some(status)
                case .image(let image, let status): run.observed.images[image] = .some(status)
                case .imageUnknown: break
                }
            }
        }
    }

    /// One answer of ``observe(_:)``.
    private enum Observed: Sendable {
        case sandbox(RuntimeObservation.SandboxState)
        case container(String, RuntimeContainerStatus?)
        case image(String, RuntimeImage?)
        case imageUnknown
    }

    /// The recorded sandbox's state from CRI PodSandboxStatus: ready (with the spec hash it was
    /// made for), not ready, or gone.
    /// - Throws: ``RuntimeError`` other than not-found.
    private static func sandboxState(_ ctx: SyncContext, _ id: String) async throws -> RuntimeObservation.SandboxState {
        do {
            let st = try await ctx.runtime.podSandboxStatus(id: id)
            return st.sandbox.state == .ready ? .ready(specHash: st.sandbox.annotations[RuntimeConfigs.podSpecHashAnnotation]) : .notReady
        } catch let e as RuntimeError where e.isNotFound {
            return .gone
        }
    }

    private func input(_ run: SyncRun) -> PodSyncInput {
        var failed: [String: ProbeKind] = [:]
        for (name, rec) in run.containers {
            if let id = rec.containerID, let kind = ctx.probes.failedProbe(uid: run.uid, container: name, containerID: id) {
                failed[name] = kind
            }
        }
        return PodSyncInput(
            uid: run.uid, pod: run.pod, podSpecHash: run.podSpecHash, record: run.record, containers: run.containers, updates: run.updates,
            sandbox: run.sandbox, conditions: run.conditions, observed: run.observed, needsReconcile: needsReconcile(run.uid),
            hashAlgorithm: ctx.settings.hashAlgorithm, failedProbes: failed,
            sandboxBlockedUntil: ctx.backoff.blockedUntil(ctx.backoffKey(run, "/sandbox"), now: Date()), now: Date())
    }

    func sandboxConfig(_ run: SyncRun, attempt: UInt32) -> PodSandboxConfig {
        RuntimeConfigs.sandbox(
            for: run.pod, uid: run.uid, attempt: attempt, podLogRoot: ctx.settings.podLogRoot,
            specHash: run.podSpecHash)
    }

    private func failForDeadline(_ run: SyncRun) async throws {
        run.event(PendingEvent(reason: EventReason.deadlineExceeded, message: StatusBuilder.deadlineExceededMessage))
        run.record.terminalPhase = PodPhase.failed
        run.record.terminalReason = StatusBuilder.deadlineExceededReason
        run.record.terminalMessage = StatusBuilder.deadlineExceededMessage
        try await InPlaceUpdater(ctx: ctx).abandonAll(run, because: "the pod failed: \(StatusBuilder.deadlineExceededMessage)")
        let uid = run.uid
        try await ctx.write(run) { tx in
            try SyncContext.updatePod(tx, uid: uid) {
                $0.terminalPhase = PodPhase.failed
                $0.terminalReason = StatusBuilder.deadlineExceededReason
                $0.terminalMessage = StatusBuilder.deadlineExceededMessage
            }
        }
        try await PodKiller(ctx: ctx).killContainers(run, reason: nil)
    }

    /// Deletes the pod: kills it, removes its sandboxes, drops its records and its cached status.
    /// - Returns: true when the pod is gone; false when it must be tried again (the runtime or
    ///   the store failed), which the pod's worker does with back-off.
    func delete(uid: String, gracePeriodSeconds: Int64? = nil) async -> Bool {
        ctx.probes.removePod(uid)
        do {
            guard let run = try load(uid: uid) else { return true }
            run.gracePeriodOverride = gracePeriodSeconds
            try await PodKiller(ctx: ctx).deletePod(run)
            publisher.statuses.remove(uid)
            decoded.remove(uid)
            return true
        } catch {
            logger.error("cannot delete pod, will retry", metadata: ["uid": "\(uid)", "error": "\(error)"])
            return false
        }
    }
}

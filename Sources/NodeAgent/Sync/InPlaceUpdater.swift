import ContainerRuntime
import Foundation
import PodAPI
import StateStore

/// The in-place update of one container, step by step as the eight steps of docs/design.md:
/// Detected, PrePulling (the old container keeps serving; a failed pull stops here and retries
/// with back-off, B15), GateClosed (`InPlaceUpdateReady=False`, reason `StartInPlaceUpdate`),
/// Grace (deadline stored), Stopped, Started (same sandbox, restartCount + 1), Verified (new
/// imageID, or the same one for a tag bump, B4/B5), Completed (gate True).
///
/// Each step is persisted before it is acted on, and each act is idempotent, so an agent
/// restarted at any step reads the step back and finishes with exactly one container restart.
struct InPlaceUpdater {
    let ctx: SyncContext

    /// Opens an update record for a running container whose spec hash changed.
    func begin(_ run: SyncRun, _ c: Container, _ rec: ContainerRecord, sandboxID: String, sandboxConfig: PodSandboxConfig) async throws {
        let now = Date()
        let algorithm = ctx.settings.hashAlgorithm
        var upd = InPlaceUpdateRecord(
            id: nil, podUID: run.uid, containerName: c.name, fromImage: rec.image, toImage: c.image ?? "",
            toHash: ContainerHasher.hex(c, algorithm: algorithm), hashAlgorithm: algorithm.rawValue,
            oldContainerID: rec.containerID, oldImageID: rec.imageID, newContainerID: nil, newImageID: nil,
            step: .detected, graceDeadline: nil, pullAttempts: 0, nextAttemptAt: nil,
            startedAt: now, updatedAt: now, finishedAt: nil, message: nil,
            history: [UpdateHistoryEntry(step: .detected, time: now)])
        // Detected leads to PrePulling with nothing to act on between them: one write records
        // both steps (the history keeps each).
        upd.advance(to: .prePulling, at: now)
        let inserted = upd
        upd.id = try await ctx.write(run) { tx in try tx.insertUpdate(inserted) }
        run.updates[c.name] = upd
        ctx.metrics.inPlaceStarted()
        ctx.logger.info(
            "in-place update started",
            metadata: [
                "pod": "\(run.key)", "container": "\(c.name)", "from": "\(rec.image)", "to": "\(c.image ?? "")",
            ])
        try await advance(run, c, upd, sandboxID: sandboxID, sandboxConfig: sandboxConfig)
    }

    /// Moves the update on as far as it can go now: asks ``InPlaceStepAction/next`` what the
    /// step it reached calls for, carries that out, persists the step it leads to, and asks again,
    /// until the update has to wait (a wake-up is scheduled) or ends.
    func advance(_ run: SyncRun, _ c: Container, _ start: InPlaceUpdateRecord, sandboxID: String, sandboxConfig: PodSandboxConfig)
        async throws
    {
        var upd = start
        while true {
            try Task.checkCancellation()
            let action = InPlaceStepAction.next(
                upd, superseded: superseded(c, upd), hasGate: run.pod.agentOwnsInPlaceGate(source: run.record.source),
                desiredImage: c.image ?? "", now: Date())
            switch action {
            case .fail(let message):
                try await finish(run, &upd, .failed, message)
                run.wake(after: 0)
                return
            case .moveTo(let step):
                if step == .stopped {
                    try await checkpoint(run, c, .beforeAct(.grace))
                    try Task.checkCancellation()
                }
                try await transition(run, &upd, to: step)
            case .wait(let until):
                run.wake(at: until)
                return
            case .pull(let thenCloseGate):
                try await checkpoint(run, c, .beforeAct(.prePulling))
                try Task.checkCancellation()
                do {
                    _ = try await ImagePuller(ctx: ctx).ensure(run, c)
                } catch let f as ImagePullFailure {
                    let delay = ctx.backoff.fail(ctx.backoffKey(run, c.name) + "/inplace-pull")
                    upd.pullAttempts += 1
                    upd.nextAttemptAt = Date().addingTimeInterval(delay)
                    upd.message = f.message
                    ctx.logger.warning(
                        "in-place update waits: new image not pulled; the old container keeps serving",
                        metadata: [
                            "pod": "\(run.key)", "container": "\(c.name)", "error": "\(f.message)",
                            "retryIn": "\(GoDuration.format(delay))",
                        ])
                    try await save(run, upd)
                    run.wake(after: delay)
                    return
                }
                ctx.backoff.reset(ctx.backoffKey(run, c.name) + "/inplace-pull")
                try await checkpoint(run, c, .afterAct(.prePulling))
                try Task.checkCancellation()
                guard thenCloseGate else {
                    try await enterGrace(run, &upd, grace: run.graceSeconds(default: ctx.settings.defaultGraceSeconds))
                    continue
                }
                let cond = run.setCondition(
                    WellKnown.inPlaceUpdateReady, status: "False", reason: WellKnown.startInPlaceUpdate, now: Date())
                try await transition(run, &upd, to: .gateClosed, message: nil) { tx in try tx.saveCondition(cond) }
                // The pass ends here so that its status (the closed gate, Ready False) is
                // published before the grace period starts and endpoints drain; the next pass,
                // at once, goes on from GateClosed.
                run.continueAfterPublish = true
                return
            case .enterGrace:
                try await checkpoint(run, c, .beforeAct(.gateClosed))
                try Task.checkCancellation()
                let grace = run.graceSeconds(default: ctx.settings.defaultGraceSeconds)
                if grace <= 0 {
                    // No grace: Grace is over as it begins, so it is written together with the
                    // move to Stopped (one transaction, both steps in the history).
                    try await checkpoint(run, c, .beforeAct(.grace))
                    try Task.checkCancellation()
                    if upd.graceDeadline == nil { upd.graceDeadline = Date() }
                    upd.advance(to: .grace, at: Date())
                    try await transition(run, &upd, to: .stopped)
                } else {
                    try await enterGrace(run, &upd, grace: grace)
                }
            case .stopOld:
                try await checkpoint(run, c, .beforeAct(.stopped))
                try Task.checkCancellation()
                try await stopOld(run, c, upd)
                try await checkpoint(run, c, .afterAct(.stopped))
                try Task.checkCancellation()
                // Started is written with the new container's intent (the start's first write,
                // before CreateContainer), or by the status: a restarted agent that finds the
                // update still at Stopped finds the old container stopped and goes on the same.
                upd.advance(to: .started, at: Date(), message: "creating the new container in the same sandbox \(sandboxID.prefix(12))")
                run.updates[upd.containerName] = upd
                run.unsavedUpdates[upd.containerName] = upd
            case .startNew:
                try await checkpoint(run, c, .beforeAct(.started))
                try Task.checkCancellation()
                let retargeted: String?
                let started: ContainerRecord?
                do {
                    retargeted = try await retargetIfSuperseded(run, c, &upd)
                    started = try await startNew(run, c, upd, sandboxID: sandboxID, sandboxConfig: sandboxConfig)
                } catch {
                    await noteEnding(run, c)
                    throw error
                }
                await noteEnding(run, c)
                guard let rec = started else { return }
                try await checkpoint(run, c, .afterAct(.started))
                try Task.checkCancellation()
                upd.newContainerID = rec.containerID
                upd.newImageID = rec.imageID
                var note: String?
                if rec.imageID == upd.oldImageID {
                    note =
                        "image \"\(upd.toImage)\" resolves to the same imageID as \"\(upd.fromImage)\" (\(rec.imageID)); the container was recreated from the image the spec names"
                }
                guard c.readinessProbe == nil && c.startupProbe == nil else {
                    try await transition(run, &upd, to: .verified, message: note ?? retargeted)
                    continue
                }
                // No probe to wait for: Verified is complete as it is reached, and is written
                // together with Completed (one transaction, both steps in the history).
                upd.advance(to: .verified, at: Date(), message: note ?? retargeted)
                run.updates[upd.containerName] = upd
                try await checkpoint(run, c, .beforeAct(.verified))
                try Task.checkCancellation()
                try await complete(run, c, &upd)
                return
            case .verify:
                if try await !newContainerReady(run, c, &upd) { return }
                try await checkpoint(run, c, .beforeAct(.verified))
                try Task.checkCancellation()
                try await complete(run, c, &upd)
                return
            case .forget:
                run.updates[c.name] = nil
                return
            }
        }
    }

    /// Completes the update (its new container verified, ready or without probes): persists
    /// Completed, counts and logs it, and (the pod's last open update) records
    /// `SuccessfulUpdatePodInPlace`.
    /// - Throws: the store's error.
    private func complete(_ run: SyncRun, _ c: Container, _ upd: inout InPlaceUpdateRecord) async throws {
        let others = run.updates.values.filter { $0.containerName != c.name }
        if others.isEmpty {
            run.event(PendingEvent(reason: EventReason.successfulInPlace, message: "successfully update pod \(run.name) in-place"))
        }
        try await finish(run, &upd, .completed, Self.withoutWaitingNote(upd.message, c.name))
        ctx.metrics.inPlaceFinished(result: "succeeded", seconds: Date().timeIntervalSince(upd.startedAt))
        ctx.logger.info(
            "in-place update completed",
            metadata: [
                "pod": "\(run.key)", "container": "\(c.name)", "image": "\(upd.toImage)",
                "imageID": "\(upd.newImageID ?? "")", "restartCount": "\(run.containers[c.name]?.restartCount ?? 0)",
            ])
        if let rec = run.containers[c.name], !rec.lifecycle.isRunning {
            // The new container already exited (e.g. a start the runtime aborted and would not
            // remove): the next sync restarts it per restartPolicy.
            run.wake(after: 0)
        }
    }

    /// Ends every open update of the pod as Failed with `reason` (the pod reached a terminal
    /// phase: nothing of it will start again), so no update stays open for ever.
    /// - Throws: the store's error.
    func abandonAll(_ run: SyncRun, because reason: String) async throws {
        for var upd in run.updates.values.sorted(by: { $0.containerName < $1.containerName }) {
            try await finish(run, &upd, .failed, reason, result: "abandoned")
        }
    }

    /// Ends the open update of `c` as Failed with `reason` (its old container ended before the
    /// update stopped it: the container starts again from the desired spec by the restart rules).
    /// - Throws: the store's error.
    func abandon(_ run: SyncRun, _ c: Container, because reason: String) async throws {
        guard var upd = run.updates[c.name] else { return }
        try await finish(run, &upd, .failed, reason, result: "abandoned")
    }

    /// Turns the InPlaceUpdateReady condition True (``PodActions/openGate``). The condition is
    /// noted, not written on its own: the status published at the end of the pass writes it in
    /// the transaction that queues the status showing it (an agent stopped before that write
    /// finds the gate closed and opens it again).
    func openGate(_ run: SyncRun) {
        let before = run.conditions.first { $0.type == WellKnown.inPlaceUpdateReady }
        let cond = run.setCondition(WellKnown.inPlaceUpdateReady, status: "True", reason: nil, now: Date())
        if cond != before { run.unsavedConditions[cond.type] = cond }
    }

    // MARK: Steps

    /// The message of an update that waits at Verified for its new container's probes.
    static func waitingForReadiness(_ container: String) -> String {
        "waiting for the new container \(container) to pass its readiness probe"
    }

    /// The update's message without the readiness wait's note (the wait is over).
    static func withoutWaitingNote(_ message: String?, _ container: String) -> String? {
        guard let m = message else { return nil }
        let waiting = waitingForReadiness(container)
        guard m.hasSuffix(waiting) else { return m }
        var rest = String(m.dropLast(waiting.count))
        if rest.hasSuffix("; ") { rest.removeLast(2) }
        return rest.isEmpty ? nil : rest
    }

    /// Whether the update may complete (and the InPlaceUpdateReady gate open): the new container
    /// passed its startup and readiness probes, or has none. While it has not, the update stays
    /// at Verified (persisted, so a restarted agent waits the same way) and the probe result's
    /// change syncs the pod again. It completes anyway, leaving the container to the usual
    /// restart rules, when the container stopped running, its liveness or startup probe failed,
    /// or the spec changed again (the next update then begins).
    private func newContainerReady(_ run: SyncRun, _ c: Container, _ upd: inout InPlaceUpdateRecord) async throws -> Bool {
        guard c.readinessProbe != nil || c.startupProbe != nil,
            let id = upd.newContainerID ?? run.containers[c.name]?.containerID
        else { return true }
        let observed = try await ctx.containerStatusIfPresent(id)
        guard observed?.state == .running else {
            upd.message = "the new container \(c.name) stopped before it became ready"
            run.wake(after: 0)
            return true
        }
        if ctx.probes.failedProbe(uid: run.uid, container: c.name, containerID: id) != nil || superseded(c, upd) {
            run.wake(after: 0)
            return true
        }
        // The probe workers learn of the new container here (an act of the sync); the result is
        // then only read.
        ctx.probes.track(run, podIP: run.statusPodIP(nodeIP: ctx.settings.nodeIP) ?? "")
        if ctx.probes.statuses(run)[c.name]?.ready == true { return true }
        let waiting = Self.waitingForReadiness(c.name)
        if upd.message?.hasSuffix(waiting) != true {
            upd.message = upd.message.map { $0 + "; " + waiting } ?? waiting
            upd.updatedAt = Date()
            run.updates[upd.containerName] = upd
            try await save(run, upd)
        }
        // A result change syncs the pod at once; this wake-up is only a safety net.
        let period = [c.startupProbe, c.readinessProbe].compactMap { $0?.periodSeconds }.max() ?? 10
        run.wake(after: Double(max(1, period)))
        return false
    }

    /// Persists the move to Grace with its deadline `grace` seconds from now (kept when one is
    /// stored already).
    private func enterGrace(_ run: SyncRun, _ upd: inout InPlaceUpdateRecord, grace: Double) async throws {
        if upd.graceDeadline == nil { upd.graceDeadline = Date().addingTimeInterval(grace) }
        try await transition(run, &upd, to: .grace, message: grace > 0 ? "waiting \(GoDuration.format(grace)) for endpoints to drain" : nil)
    }

    /// Stops the old container and reads its terminated state, the new container's `lastState`,
    /// beside the new container's creation (``SyncRun/endings``; written with the created record,
    /// or noted by ``noteEnding(_:_:)``; the runtime keeps the stopped container until then, so a
    /// restarted agent reads the same state again). The old container is removed after the status showing the
    /// new one is published (``SyncRun/replaced``): the new container's start does not wait for
    /// the removal, as kubelet's does not wait for its garbage collector. Idempotent: a
    /// container already stopped or gone is fine.
    /// - Throws: a ``RuntimeError`` other than not-found.
    private func stopOld(_ run: SyncRun, _ c: Container, _ upd: InPlaceUpdateRecord) async throws {
        guard let oldID = upd.oldContainerID else { return }
        let rt = ctx.runtime
        if var rec = run.containers[c.name], rec.containerID == oldID {
            run.event(
                PendingEvent(
                    container: c.name, reason: EventReason.killing, message: "Container \(c.name) definition changed, will be restarted"))
            let grace = run.terminationGracePeriod
            do {
                try await rt.stopContainer(id: oldID, timeoutSeconds: grace)
            } catch let e as RuntimeError where e.isNotFound {}
            // Its end (ContainerStatus) is read while the new container is created: the runtime
            // keeps the stopped container until the status showing its successor is published.
            let (ctx, statusID, startedAt) = (self.ctx, ctx.statusID(oldID), rec.startedAt)
            run.endings[c.name] = Task {
                SyncContext.termination(try await ctx.containerStatusIfPresent(oldID), containerID: statusID, fallbackStartedAt: startedAt)
            }
            rec.containerID = nil
            rec.lastTermination = nil
            rec.lifecycle = .creating
            rec.updatedAt = Date()
            ctx.note(run, container: rec)
        }
        if !run.replaced.contains(oldID) { run.replaced.append(oldID) }
    }

    /// Notes the old container's end on the record when the start did not take it (the start
    /// failed, waits for a back-off, or found its container made already). A read that failed
    /// leaves the record without it; the next start reads it again (``startNew``).
    private func noteEnding(_ run: SyncRun, _ c: Container) async {
        guard let ending = run.endings.removeValue(forKey: c.name), let terminated = try? await ending.value,
            var rec = run.containers[c.name], rec.lastTermination == nil
        else { return }
        rec.lastTermination = terminated
        ctx.note(run, container: rec)
    }

    /// An update whose spec changed again after its old container stopped, before the new
    /// container exists (an edit while the agent was down, or during the stop): the new
    /// container is made from the spec as it is now, so the update's target becomes that image,
    /// with a message saying what it replaced. (Before the stop a superseded update is abandoned
    /// instead, ``InPlaceStepAction``; a new container already created is started as it is and
    /// the next sync updates it again.)
    /// - Returns: the message saying so (nil: not superseded, or the new container exists).
    /// - Throws: the store's error.
    private func retargetIfSuperseded(_ run: SyncRun, _ c: Container, _ upd: inout InPlaceUpdateRecord) async throws -> String? {
        guard superseded(c, upd) else { return nil }
        if let id = run.containers[c.name]?.containerID, id != upd.oldContainerID { return nil }
        let algorithm = HashAlgorithm(rawValue: upd.hashAlgorithm) ?? ctx.settings.hashAlgorithm
        let replaced = upd.toImage
        let replacedHash = upd.toHash
        upd.toImage = c.image ?? ""
        upd.toHash = ContainerHasher.hex(c, algorithm: algorithm)
        upd.message =
            "superseded while the old container was stopped: the new container runs image \"\(upd.toImage)\" instead of \"\(replaced)\""
        upd.updatedAt = Date()
        ctx.logger.info(
            "in-place update retargeted",
            metadata: ["pod": "\(run.key)", "container": "\(c.name)", "from": "\(replaced)", "to": "\(upd.toImage)"])
        run.updates[c.name] = upd
        // This update's start intent (written for the old target before the agent stopped; the
        // stopped old container's record has the old container's hash instead) already counts
        // the restart: it is the intent of the retargeted start too.
        var intent: ContainerRecord?
        if var rec = run.containers[c.name], rec.lifecycle == .creating, rec.containerID == nil, rec.hash == replacedHash {
            rec.hash = upd.toHash
            rec.image = upd.toImage
            rec.updatedAt = Date()
            run.containers[c.name] = rec
            intent = rec
        }
        try await save(run, upd) { [intent] tx in if let intent { try tx.saveContainer(intent) } }
        return upd.message
    }

    /// Creates and starts the new container in the same sandbox with restartCount + 1, unless
    /// it already exists (a restart after this step). Returns nil when it must wait and retry.
    private func startNew(
        _ run: SyncRun, _ c: Container, _ upd: InPlaceUpdateRecord, sandboxID: String,
        sandboxConfig: PodSandboxConfig
    ) async throws -> ContainerRecord? {
        guard var rec = run.containers[c.name] else { return nil }
        let key = ctx.backoffKey(run, c.name) + "/inplace-start"
        if rec.lastTermination == nil, run.endings[c.name] == nil, let oldID = upd.oldContainerID, rec.containerID != oldID,
            let st = try await ctx.containerStatusIfPresent(oldID)
        {
            // The old container's end was not recorded (an agent stopped after the intent, before
            // the created record; or its read failed): read it again while the runtime keeps it.
            rec.lastTermination = SyncContext.termination(st, containerID: ctx.statusID(oldID), fallbackStartedAt: nil)
            run.containers[c.name] = rec
        }
        if let id = rec.containerID, id != upd.oldContainerID {
            guard rec.lifecycle == .created else { return rec }  // started before a restart of the agent
            // Created before the agent stopped, its start unconfirmed: finish it, or (it never
            // ran) make it again below with the same restartCount.
            do {
                if let started = try await ContainerStarter(ctx: ctx).resumeStart(run, c, rec) { return started }
            } catch let f as ContainerStarter.StartFailure {
                try await waitToStart(run, c, run.containers[c.name] ?? rec, reason: f.reason, message: f.message, key: key)
                return nil
            }
            rec = run.containers[c.name] ?? rec
        }
        let lastState = rec.lastTermination
        if let until = ctx.backoff.blockedUntil(key) {
            run.wake(at: until)
            return nil
        }
        // The intent of this start (written before CreateContainer by an agent that then
        // stopped) already counts the restart: counting again would skip a number and orphan the
        // container it may have created.
        let isIntent = rec.lifecycle == .creating && rec.hash == ContainerHasher.hex(c, algorithm: ctx.settings.hashAlgorithm)
        let restartCount = isIntent ? rec.restartCount : rec.restartCount + 1
        do {
            let started = try await ContainerStarter(ctx: ctx).start(
                run, c, restartCount: restartCount, lastState: lastState, sandboxID: sandboxID, sandboxConfig: sandboxConfig)
            ctx.backoff.reset(key)
            return started
        } catch is ContainerStarter.StartAborted {
            run.wake(after: 0.1)  // the record is the intent again: the next advance starts it anew
            return nil
        } catch let f as ImagePullFailure {
            try await waitToStart(run, c, rec, reason: f.reason, message: f.message, key: key)
            return nil
        } catch let f as ContainerStarter.StartFailure {
            try await waitToStart(run, c, rec, reason: f.reason, message: f.message, key: key)
            return nil
        }
    }

    private func waitToStart(_ run: SyncRun, _ c: Container, _ rec: ContainerRecord, reason: String, message: String, key: String)
        async throws
    {
        let delay = ctx.backoff.fail(key)
        var r = rec
        // The old container's end, when the start took it (a refused StartContainer).
        if r.lastTermination == nil { r.lastTermination = run.containers[c.name]?.lastTermination }
        r.lifecycle = .waiting(reason: reason, message: message)
        r.updatedAt = Date()
        run.containers[c.name] = r
        let saved = r
        try await ctx.save(run, container: saved)
        run.wake(after: delay)
    }

    // MARK: Persistence

    private func superseded(_ c: Container, _ upd: InPlaceUpdateRecord) -> Bool {
        let algorithm = HashAlgorithm(rawValue: upd.hashAlgorithm) ?? ctx.settings.hashAlgorithm
        return ContainerHasher.hex(c, algorithm: algorithm) != upd.toHash
    }

    private func checkpoint(_ run: SyncRun, _ c: Container, _ point: CrashPoint) async throws {
        try await ctx.hooks.checkpoint(run.key, c.name, point)
    }

    /// Persists the move to `step` (with the run's pending events and `extra` writes) in one
    /// transaction, before the step is acted on.
    private func transition(
        _ run: SyncRun, _ upd: inout InPlaceUpdateRecord, to step: UpdateStep, message: String? = nil,
        extra: (@Sendable (StoreTransaction) throws -> Void)? = nil
    ) async throws {
        upd.advance(to: step, at: Date(), message: message)
        run.updates[upd.containerName] = upd
        try await save(run, upd, extra: extra)
    }

    /// Ends the update at `step`. Completed is noted, written by the status published at the end
    /// of the pass (a restarted agent that finds the update at Started or Verified finds its new
    /// container running and completes it again); Failed is written at once.
    private func finish(
        _ run: SyncRun, _ upd: inout InPlaceUpdateRecord, _ step: UpdateStep, _ message: String?,
        result: String = "superseded"
    ) async throws {
        let now = Date()
        upd.advance(to: step, at: now, message: message)
        if step == .failed { ctx.metrics.inPlaceFinished(result: result, seconds: now.timeIntervalSince(upd.startedAt)) }
        run.updates[upd.containerName] = nil
        if step == .completed {
            run.unsavedUpdates[upd.containerName] = upd
        } else {
            try await save(run, upd)
        }
    }

    private func save(_ run: SyncRun, _ upd: InPlaceUpdateRecord, extra: (@Sendable (StoreTransaction) throws -> Void)? = nil) async throws
    {
        let events = run.drainEvents(at: Date())
        try await ctx.write(run) { tx in
            try tx.saveUpdate(upd)
            for e in events { try tx.appendEvent(e) }
            try extra?(tx)
        }
    }
}

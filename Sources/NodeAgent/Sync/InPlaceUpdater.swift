import ContainerRuntime
import Foundation
import PodAPI
import StateStore

/// The in-place update of one container, step by step as the design guide's eight steps:
/// Detected, PrePulling (the old container keeps serving; a failed pull stops here and retries
/// with back-off, B15), GateClosed (`InPlaceUpdateReady=False`, reason `StartInPlaceUpdate`),
/// Grace (deadline stored), Stopped, Started (same sandbox, restartCount + 1), Verified (new
/// imageID, or the same one for a tag bump, B4/B5), Completed (gate True).
///
/// Each step is persisted before it is acted on, and each act is idempotent, so an agent
/// restarted at any step reads the step back and finishes with exactly one container restart.
struct InPlaceUpdater {
    let syncer: PodSyncer

    /// Opens an update record for a running container whose spec hash changed.
    func begin(_ run: SyncRun, _ c: Container, _ rec: ContainerRecord, sandboxID: String, sandboxConfig: PodSandboxConfig) async throws {
        let now = Date()
        let algorithm = syncer.config.hashAlgorithm
        var upd = InPlaceUpdateRecord(
            id: nil, podUID: run.uid, containerName: c.name, fromImage: rec.image, toImage: c.image ?? "",
            toHash: ContainerHasher.hex(c, algorithm: algorithm), hashAlgorithm: algorithm.rawValue,
            oldContainerID: rec.containerID, oldImageID: rec.imageID, newContainerID: nil, newImageID: nil,
            step: InPlaceUpdate.Step.detected.rawValue, graceDeadline: nil, pullAttempts: 0, nextAttemptAt: nil,
            startedAt: now, updatedAt: now, finishedAt: nil, message: nil,
            historyJSON: Self.appendHistory("[]", .detected, now, nil))
        let inserted = upd
        upd.id = try syncer.store.write { tx in try tx.insertUpdate(inserted) }
        run.updates[c.name] = upd
        syncer.metrics.inPlaceStarted()
        syncer.logger.info("in-place update started", metadata: [
            "pod": "\(run.key)", "container": "\(c.name)", "from": "\(rec.image)", "to": "\(c.image ?? "")"])
        try await advance(run, c, upd, sandboxID: sandboxID, sandboxConfig: sandboxConfig)
    }

    /// Moves the update on as far as it can go now; schedules a wake-up where it must wait.
    func advance(_ run: SyncRun, _ c: Container, _ start: InPlaceUpdateRecord, sandboxID: String, sandboxConfig: PodSandboxConfig) async throws {
        var upd = start
        while true {
            try Task.checkCancellation()
            guard let step = InPlaceUpdate.Step(rawValue: upd.step) else {
                try finish(run, &upd, .failed, "unknown step \(upd.step)")
                return
            }
            if superseded(c, upd), Self.beforeStop(step) {
                try finish(run, &upd, .failed, "superseded: the spec now asks for image \"\(c.image ?? "")\"")
                run.wake(after: 0)
                return
            }
            switch step {
            case .detected:
                try transition(run, &upd, to: .prePulling)
            case .prePulling:
                if let next = upd.nextAttemptAt, next > Date() {
                    run.wake(at: next)
                    return
                }
                try await checkpoint(run, c, .beforeAct(.prePulling))
                try Task.checkCancellation()
                do {
                    _ = try await ImagePuller(syncer: syncer).ensure(run, c)
                } catch let f as ImagePullFailure {
                    let delay = syncer.backoff.fail(syncer.backoffKey(run, c.name) + "/inplace-pull")
                    upd.pullAttempts += 1
                    upd.nextAttemptAt = Date().addingTimeInterval(delay)
                    upd.message = f.message
                    syncer.logger.warning("in-place update waits: new image not pulled; the old container keeps serving", metadata: [
                        "pod": "\(run.key)", "container": "\(c.name)", "error": "\(f.message)", "retryIn": "\(GoDuration.format(delay))"])
                    try save(run, upd)
                    run.wake(after: delay)
                    return
                }
                syncer.backoff.reset(syncer.backoffKey(run, c.name) + "/inplace-pull")
                try await checkpoint(run, c, .afterAct(.prePulling))
                try Task.checkCancellation()
                if run.hasInPlaceGate {
                    let now = Date()
                    let cond = run.setCondition(WellKnown.inPlaceUpdateReady, status: "False", reason: WellKnown.startInPlaceUpdate, now: now)
                    try transition(run, &upd, to: .gateClosed, message: nil) { tx in try tx.saveCondition(cond) }
                    // Publish the closed gate before the grace starts, so endpoints drain.
                    try syncer.publishStatus(run)
                } else {
                    try enterGrace(run, &upd)
                }
            case .gateClosed:
                try await checkpoint(run, c, .beforeAct(.gateClosed))
                try Task.checkCancellation()
                try enterGrace(run, &upd)
            case .grace:
                if let deadline = upd.graceDeadline, deadline > Date() {
                    run.wake(at: deadline)
                    return
                }
                try await checkpoint(run, c, .beforeAct(.grace))
                try Task.checkCancellation()
                try transition(run, &upd, to: .stopped)
            case .stopped:
                try await checkpoint(run, c, .beforeAct(.stopped))
                try Task.checkCancellation()
                try await stopOld(run, c, upd)
                try await checkpoint(run, c, .afterAct(.stopped))
                try Task.checkCancellation()
                try transition(run, &upd, to: .started, message: "creating the new container in the same sandbox \(sandboxID.prefix(12))")
            case .started:
                try await checkpoint(run, c, .beforeAct(.started))
                try Task.checkCancellation()
                guard let rec = try await startNew(run, c, upd, sandboxID: sandboxID, sandboxConfig: sandboxConfig) else { return }
                try await checkpoint(run, c, .afterAct(.started))
                try Task.checkCancellation()
                upd.newContainerID = rec.containerID
                upd.newImageID = rec.imageID
                var note: String?
                if rec.imageID == upd.oldImageID {
                    note = "image \"\(upd.toImage)\" resolves to the same imageID as \"\(upd.fromImage)\" (\(rec.imageID)); the container was recreated from the image the spec names"
                }
                try transition(run, &upd, to: .verified, message: note)
            case .verified:
                if try await !newContainerReady(run, c, &upd) { return }
                try await checkpoint(run, c, .beforeAct(.verified))
                try Task.checkCancellation()
                let others = run.updates.values.filter { $0.containerName != c.name }
                try finish(run, &upd, .completed, Self.withoutWaitingNote(upd.message, c.name))
                syncer.metrics.inPlaceFinished(result: "succeeded", seconds: Date().timeIntervalSince(upd.startedAt))
                syncer.logger.info("in-place update completed", metadata: [
                    "pod": "\(run.key)", "container": "\(c.name)", "image": "\(upd.toImage)",
                    "imageID": "\(upd.newImageID ?? "")", "restartCount": "\(run.containers[c.name]?.restartCount ?? 0)"])
                if others.isEmpty {
                    run.event(PendingEvent(reason: EventReason.successfulInPlace, message: "successfully update pod \(run.name) in-place"))
                }
                if let rec = run.containers[c.name], StatusBuilder.decodeState(rec.stateJSON).running == nil {
                    // The new container already exited (e.g. a start the runtime aborted and would
                    // not remove): the next sync restarts it per restartPolicy.
                    run.wake(after: 0)
                }
                return
            case .completed, .failed:
                run.updates[c.name] = nil
                return
            }
        }
    }

    /// Opens the InPlaceUpdateReady gate when the pod declares it and no update is running
    /// (also sets it True on a new pod, as OpenKruise does at creation).
    func openGateIfDone(_ run: SyncRun) async throws {
        guard run.hasInPlaceGate, run.updates.isEmpty else { return }
        if run.conditions.first(where: { $0.type == WellKnown.inPlaceUpdateReady })?.status == "True" { return }
        let cond = run.setCondition(WellKnown.inPlaceUpdateReady, status: "True", reason: nil, now: Date())
        try syncer.store.write { tx in try tx.saveCondition(cond) }
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
              let id = upd.newContainerID ?? run.containers[c.name]?.containerID else { return true }
        let observed = try await syncer.containerStatusIfPresent(id)
        guard observed?.state == .running else {
            upd.message = "the new container \(c.name) stopped before it became ready"
            run.wake(after: 0)
            return true
        }
        if syncer.probes.failedProbe(uid: run.uid, container: c.name, containerID: id) != nil || superseded(c, upd) {
            run.wake(after: 0)
            return true
        }
        // The manager learns of the new container when the status is published; read it as published.
        let hostNetwork = run.pod.spec.hostNetwork ?? false
        let podIP = (hostNetwork ? syncer.config.nodeIP : run.podIP) ?? ""
        if syncer.probeStatuses(run, podIP: podIP)[c.name]?.ready == true { return true }
        let waiting = Self.waitingForReadiness(c.name)
        if upd.message?.hasSuffix(waiting) != true {
            upd.message = upd.message.map { $0 + "; " + waiting } ?? waiting
            upd.updatedAt = Date()
            run.updates[upd.containerName] = upd
            try save(run, upd)
        }
        // A result change syncs the pod at once; this wake-up is only a safety net.
        let period = [c.startupProbe, c.readinessProbe].compactMap { $0?.periodSeconds }.max() ?? 10
        run.wake(after: Double(max(1, period)))
        return false
    }

    private func enterGrace(_ run: SyncRun, _ upd: inout InPlaceUpdateRecord) throws {
        let grace = run.graceSeconds(default: syncer.config.defaultGraceSeconds)
        if upd.graceDeadline == nil { upd.graceDeadline = Date().addingTimeInterval(grace) }
        try transition(run, &upd, to: .grace, message: grace > 0 ? "waiting \(GoDuration.format(grace)) for endpoints to drain" : nil)
    }

    /// Stops and removes the old container, recording its terminated state as `lastState`
    /// before removing it. Idempotent: a container already stopped or gone is fine.
    private func stopOld(_ run: SyncRun, _ c: Container, _ upd: InPlaceUpdateRecord) async throws {
        guard let oldID = upd.oldContainerID else { return }
        let rt = syncer.runtime
        if var rec = run.containers[c.name], rec.containerID == oldID {
            run.event(PendingEvent(container: c.name, reason: EventReason.killing, message: "Container \(c.name) definition changed, will be restarted"))
            let grace = run.terminationGracePeriod
            do {
                try await syncer.timed("StopContainer") { try await rt.stopContainer(id: oldID, timeoutSeconds: grace) }
            } catch let e as RuntimeError where e.isNotFound {}
            let st = try await syncer.containerStatusIfPresent(oldID)
            let terminated = PodSyncer.terminatedState(st, containerID: "\(syncer.runtimeName)://\(oldID)", fallbackStartedAt: rec.startedAt)
            rec.containerID = nil
            rec.lastStateJSON = StatusBuilder.encodeState(ContainerState(terminated: terminated))
            rec.stateJSON = StatusBuilder.encodeState(ContainerState(waiting: ContainerStateWaiting(reason: "ContainerCreating")))
            rec.updatedAt = Date()
            run.containers[c.name] = rec
            let saved = rec
            try syncer.save(run, container: saved)
        }
        do {
            try await syncer.timed("RemoveContainer") { try await rt.removeContainer(id: oldID) }
        } catch let e as RuntimeError where e.isNotFound {}
    }

    /// Creates and starts the new container in the same sandbox with restartCount + 1, unless
    /// it already exists (a restart after this step). Returns nil when it must wait and retry.
    private func startNew(_ run: SyncRun, _ c: Container, _ upd: InPlaceUpdateRecord, sandboxID: String,
                          sandboxConfig: PodSandboxConfig) async throws -> ContainerRecord? {
        guard var rec = run.containers[c.name] else { return nil }
        let key = syncer.backoffKey(run, c.name) + "/inplace-start"
        if let id = rec.containerID, id != upd.oldContainerID {
            guard ContainerStarter.isPendingStart(rec) else { return rec }  // started before a restart of the agent
            // Created before the agent stopped, its start unconfirmed: finish it, or (it never
            // ran) make it again below with the same restartCount.
            do {
                if let started = try await ContainerStarter(syncer: syncer).resumeStart(run, c, rec) { return started }
            } catch let f as ContainerStarter.StartFailure {
                try waitToStart(run, c, run.containers[c.name] ?? rec, reason: f.reason, message: f.message, key: key)
                return nil
            }
            rec = run.containers[c.name] ?? rec
        }
        let lastState = StatusBuilder.decodeState(rec.lastStateJSON)
        if let until = syncer.backoff.blockedUntil(key) {
            run.wake(at: until)
            return nil
        }
        // The intent of this start (written before CreateContainer by an agent that then
        // stopped) already counts the restart: counting again would skip a number and orphan the
        // container it may have created.
        let isIntent = ContainerStarter.isIntent(rec) && rec.hash == ContainerHasher.hex(c, algorithm: syncer.config.hashAlgorithm)
        let restartCount = isIntent ? rec.restartCount : rec.restartCount + 1
        do {
            let started = try await ContainerStarter(syncer: syncer).start(
                run, c, restartCount: restartCount, lastState: lastState, sandboxID: sandboxID, sandboxConfig: sandboxConfig)
            syncer.backoff.reset(key)
            return started
        } catch is ContainerStarter.StartAborted {
            run.wake(after: 0.1)  // the record is the intent again: the next advance starts it anew
            return nil
        } catch let f as ImagePullFailure {
            try waitToStart(run, c, rec, reason: f.reason, message: f.message, key: key)
            return nil
        } catch let f as ContainerStarter.StartFailure {
            try waitToStart(run, c, rec, reason: f.reason, message: f.message, key: key)
            return nil
        }
    }

    private func waitToStart(_ run: SyncRun, _ c: Container, _ rec: ContainerRecord, reason: String, message: String, key: String) throws {
        let delay = syncer.backoff.fail(key)
        var r = rec
        r.stateJSON = StatusBuilder.encodeState(ContainerState(waiting: ContainerStateWaiting(reason: reason, message: message)))
        r.updatedAt = Date()
        run.containers[c.name] = r
        let saved = r
        try syncer.save(run, container: saved)
        run.wake(after: delay)
    }

    // MARK: Persistence

    private func superseded(_ c: Container, _ upd: InPlaceUpdateRecord) -> Bool {
        let algorithm = HashAlgorithm(rawValue: upd.hashAlgorithm) ?? syncer.config.hashAlgorithm
        return ContainerHasher.hex(c, algorithm: algorithm) != upd.toHash
    }

    private static func beforeStop(_ step: InPlaceUpdate.Step) -> Bool {
        switch step {
        case .detected, .prePulling, .gateClosed, .grace: return true
        default: return false
        }
    }

    private func checkpoint(_ run: SyncRun, _ c: Container, _ point: CrashPoint) async throws {
        try await syncer.hooks.checkpoint(run.key, c.name, point)
    }

    /// Persists the move to `step` (with the run's pending events and `extra` writes) in one
    /// transaction, before the step is acted on.
    private func transition(_ run: SyncRun, _ upd: inout InPlaceUpdateRecord, to step: InPlaceUpdate.Step, message: String? = nil,
                            extra: (@Sendable (StoreTransaction) throws -> Void)? = nil) throws {
        let now = Date()
        upd.step = step.rawValue
        upd.updatedAt = now
        upd.message = message
        upd.historyJSON = Self.appendHistory(upd.historyJSON, step, now, message)
        run.updates[upd.containerName] = upd
        try save(run, upd, extra: extra)
    }

    private func finish(_ run: SyncRun, _ upd: inout InPlaceUpdateRecord, _ step: InPlaceUpdate.Step, _ message: String?) throws {
        let now = Date()
        upd.step = step.rawValue
        upd.finishedAt = now
        upd.updatedAt = now
        upd.message = message
        upd.historyJSON = Self.appendHistory(upd.historyJSON, step, now, message)
        if step == .failed { syncer.metrics.inPlaceFinished(result: "superseded", seconds: now.timeIntervalSince(upd.startedAt)) }
        run.updates[upd.containerName] = nil
        try save(run, upd)
    }

    private func save(_ run: SyncRun, _ upd: InPlaceUpdateRecord, extra: (@Sendable (StoreTransaction) throws -> Void)? = nil) throws {
        let events = run.drainEvents(at: Date())
        try syncer.store.write { tx in
            try tx.saveUpdate(upd)
            for e in events { try tx.appendEvent(e) }
            try extra?(tx)
        }
    }

    static func appendHistory(_ json: String, _ step: InPlaceUpdate.Step, _ at: Date, _ message: String?) -> String {
        var list = (try? JSONDecoder().decode([InPlaceUpdate.StepTime].self, from: Data(json.utf8))) ?? []
        list.append(InPlaceUpdate.StepTime(step: step, time: Time(at), message: message))
        return String(decoding: (try? JSONEncoder().encode(list)) ?? Data("[]".utf8), as: UTF8.self)
    }
}

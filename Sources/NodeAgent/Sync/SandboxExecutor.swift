import ContainerRuntime
import Foundation
import PodAPI
import StateStore

/// Carries out a ``PodActions/Sandbox`` other than `keep`: adopts the pod's sandbox from the
/// runtime, or kills the pod's containers and replaces its sandbox (kubelet: "Pod sandbox
/// changed, it will be killed and re-created."), or creates the first one.
struct SandboxExecutor {
    let ctx: SyncContext

    /// - Returns: true when the pod now has a ready sandbox (the caller decides again with it);
    ///   false when it has none yet (the runtime refused, or the creation is backing off: a
    ///   wake-up is scheduled).
    /// - Throws: ``RuntimeError/unavailable(_:_:)`` when the runtime is down; a store error.
    func execute(_ action: PodActions.Sandbox, _ run: SyncRun) async throws -> Bool {
        switch action {
        case .keep:
            return run.sandbox != nil
        case .adoptElseCreate:
            let wantHash = run.podSpecHash
            if let adopted = try await RuntimeReconciler(ctx: ctx).adoptSandbox(run, specHash: wantHash) {
                run.sandbox = adopted
                run.podIP = adopted.ip
                run.observed.sandbox = .ready(specHash: wantHash)
                return true
            }
            return try await create(run, attempt: 0, blockedUntil: ctx.backoff.blockedUntil(sandboxKey(run), now: Date()))
        case .create(let attempt, let replacing, let specChanged, let blockedUntil):
            if let old = replacing {
                try await replace(run, old, specChanged: specChanged)
            }
            return try await create(run, attempt: attempt, blockedUntil: blockedUntil)
        }
    }

    func sandboxKey(_ run: SyncRun) -> String { ctx.backoffKey(run, "/sandbox") }

    /// Kills the pod's containers and removes `old`; a sandbox made for another spec also starts
    /// the containers over, as a new static pod would.
    private func replace(_ run: SyncRun, _ old: SandboxRecord, specChanged: Bool) async throws {
        let killer = PodKiller(ctx: ctx)
        try await killer.killContainers(run, reason: specChanged ? "pod spec changed, the pod will be re-created" : nil)
        try await killer.removeSandbox(run, old)
        run.event(PendingEvent(reason: EventReason.sandboxChanged, message: "Pod sandbox changed, it will be killed and re-created."))
        guard specChanged else { return }
        run.event(PendingEvent(reason: EventReason.recreate, message: "successfully update pod \(run.name) by recreating it"))
        let names = Array(run.containers.keys)
        run.containers.removeAll()
        let uid = run.uid
        try await ctx.write(run) { tx in for n in names { try tx.deleteContainer(podUID: uid, name: n) } }
    }

    /// RunPodSandbox with metadata attempt `attempt`. A refusal (no CNI for a pod network, say) is
    /// a `FailedCreatePodSandBox` event and a back-off; the pod stays Pending with its containers
    /// waiting, as kubelet leaves it.
    private func create(_ run: SyncRun, attempt: Int, blockedUntil: Date?) async throws -> Bool {
        if let until = blockedUntil, until > Date() {
            run.wake(at: until)
            return false
        }
        let key = sandboxKey(run)
        let cfg = RuntimeConfigs.sandbox(
            for: run.pod, uid: run.uid, attempt: UInt32(attempt), podLogRoot: ctx.settings.podLogRoot,
            specHash: run.podSpecHash)
        let rt = ctx.runtime
        let id: String
        do {
            do {
                id = try await rt.runPodSandbox(cfg)
            } catch let e as RuntimeError where ReservedName.holder(in: e) != nil {
                // An earlier attempt the runtime kept (containerd keeps a sandbox whose network
                // setup failed) holds the name: remove it and try again. When it cannot be
                // removed, its removal error is the cause worth reporting.
                let holder = ReservedName.holder(in: e)!
                try? await rt.stopPodSandbox(id: holder)
                try await rt.removePodSandbox(id: holder)
                id = try await rt.runPodSandbox(cfg)
            }
            ctx.backoff.reset(key)
        } catch let e as RuntimeError {
            if case .unavailable = e { throw e }
            let delay = ctx.backoff.fail(key, now: Date())
            let message = "Failed to create pod sandbox: \(ImagePuller.detail(e))"
            ctx.logger.warning("cannot create the pod sandbox", metadata: ["pod": "\(run.key)", "error": "\(e)", "retryIn": "\(delay)s"])
            run.event(PendingEvent(type: "Warning", reason: EventReason.failedCreatePodSandBox, message: message))
            run.wake(after: delay)
            return false
        }
        let st = try? await rt.podSandboxStatus(id: id)
        let now = Date()
        let rec = SandboxRecord(
            id: id, podUID: run.uid, attempt: attempt, state: SandboxState.ready.rawValue,
            ip: st?.ip ?? "", createdAt: now)
        run.sandbox = rec
        run.podIP = rec.ip
        if run.record.startTime == nil { run.record.startTime = now }
        let uid = run.uid
        let events = run.drainEvents(at: now)
        try await ctx.write(run) { tx in
            try tx.saveSandbox(rec)
            try SyncContext.updatePod(tx, uid: uid) { if $0.startTime == nil { $0.startTime = now } }
            for e in events { try tx.appendEvent(e) }
        }
        run.observed.sandbox = .ready(specHash: cfg.annotations[RuntimeConfigs.podSpecHashAnnotation])
        return true
    }
}

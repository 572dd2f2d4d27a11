import ContainerRuntime
import Foundation
import PodAPI
import Prober
import StateStore

/// Carries out one ``ContainerAction`` on one container of a pod whose sandbox is ready, as
/// kubelet's SyncPod carries out computePodActions: it starts, restarts, records, kills, or hands
/// the container to ``InPlaceUpdater``. It decides nothing the action does not say, beyond what
/// only the runtime's answers can tell (a pull that fails, a start the runtime refuses).
struct ContainerExecutor {
    let ctx: SyncContext
    let run: SyncRun
    let sandboxID: String
    let sandboxConfig: PodSandboxConfig

    /// Carries out `action` on the regular or init container `c`.
    /// - Throws: ``RuntimeError`` when the runtime is down; a store error; `CancellationError`.
    func execute(_ c: Container, _ action: ContainerAction) async throws {
        let starter = ContainerStarter(ctx: ctx)
        switch action {
        case .none:
            return
        case .adopt:
            try await RuntimeReconciler(ctx: ctx).adoptContainer(run, c, sandboxID: sandboxID)
        case .start:
            try await starter.startOrBackOff(run, c, prior: run.containers[c.name], sandboxID: sandboxID, sandboxConfig: sandboxConfig)
        case .resumeStart:
            guard let rec = run.containers[c.name] else { return }
            // Created before the agent stopped, its start unconfirmed: finish it, or (it never
            // ran) start it again with the same restartCount.
            do {
                if try await starter.resumeStart(run, c, rec) == nil {
                    try await starter.startOrBackOff(
                        run, c, prior: run.containers[c.name], sandboxID: sandboxID, sandboxConfig: sandboxConfig)
                }
            } catch is ContainerStarter.StartFailure {
                // Recorded as waiting, without an ID: the next container is started after back-off.
                run.wake(after: ctx.backoff.fail(ctx.crashKey(run, c)))
            }
        case .keepRunning(let startFirst):
            guard let rec = run.containers[c.name], let id = rec.containerID else { return }
            if startFirst { try await ctx.runtime.startContainer(id: id) }
            if case .some(.some(let observed)) = run.observed.container(id), !isInit(c) {
                try refreshRunning(c, rec, observed)
            }
        case .beginInPlaceUpdate(let startFirst):
            guard let rec = run.containers[c.name], let id = rec.containerID else { return }
            if startFirst { try await ctx.runtime.startContainer(id: id) }
            try await InPlaceUpdater(ctx: ctx).begin(run, c, rec, sandboxID: sandboxID, sandboxConfig: sandboxConfig)
        case .advanceInPlaceUpdate:
            guard let upd = run.updates[c.name] else { return }
            try await InPlaceUpdater(ctx: ctx).advance(run, c, upd, sandboxID: sandboxID, sandboxConfig: sandboxConfig)
        case .endUpdateAfterDeath(let restart):
            guard let rec = run.containers[c.name], let id = rec.containerID else { return }
            ctx.logger.info(
                "the container ended while its in-place update waited; it restarts from the new spec",
                metadata: [
                    "pod": "\(run.key)", "container": "\(c.name)",
                ])
            try await InPlaceUpdater(ctx: ctx).abandon(run, c, because: "the container \(c.name) ended before the update stopped it")
            try await recordDeath(c, rec, observed: run.observed.container(id) ?? nil, restart: restart)
        case .killForProbe(let kind, let restart):
            try await killForProbe(c, kind: kind, restart: restart)
        case .recordDeath(let restart):
            guard let rec = run.containers[c.name], let id = rec.containerID else { return }
            let observed = run.observed.container(id) ?? nil
            try await recordDeath(c, rec, observed: observed, restart: restart)
        }
    }

    private func isInit(_ c: Container) -> Bool {
        (run.pod.spec.initContainers ?? []).contains { $0.name == c.name }
    }

    /// Records what the runtime says of a running container: its start time, its imageID when
    /// unknown, and a hash made by another algorithm re-stamped without a restart (B1).
    private func refreshRunning(_ c: Container, _ rec: ContainerRecord, _ o: RuntimeContainerStatus) throws {
        var r = rec
        let started = o.startedAt > 0 ? Date(timeIntervalSince1970: Double(o.startedAt) / 1e9) : nil
        r.lifecycle = .running(startedAt: started)
        r.startedAt = started
        if r.imageID.isEmpty { r.imageID = o.imageRef }
        let algorithm = ctx.settings.hashAlgorithm
        if r.hashAlgorithm != algorithm.rawValue || ContainerHasher.parse(r.hash) == nil {
            r.hash = ContainerHasher.hex(c, algorithm: algorithm)
            r.hashAlgorithm = algorithm.rawValue
        }
        guard r != rec else { return }
        r.updatedAt = Date()
        ctx.note(run, container: r)
    }

    /// A running container whose liveness (or startup) probe failed: killed with kubelet's
    /// message (`Container app failed liveness probe, will be restarted`, reason `Killing`) and
    /// the probe's `terminationGracePeriodSeconds` (else the pod's), then restarted unless the
    /// restartPolicy is Never, with the usual back-off.
    private func killForProbe(_ c: Container, kind: ProbeKind, restart: Bool) async throws {
        guard let rec = run.containers[c.name], let cid = rec.containerID else { return }
        let message = "Container \(c.name) failed \(kind.rawValue.lowercased()) probe" + (restart ? ", will be restarted" : "")
        run.event(PendingEvent(container: c.name, reason: EventReason.killing, message: message))
        ctx.logger.info(
            "killing container: probe failed", metadata: ["pod": "\(run.key)", "container": "\(c.name)", "probe": "\(kind.rawValue)"])
        let grace = ProbeManager.probe(c, kind)?.terminationGracePeriodSeconds ?? run.terminationGracePeriod
        do {
            try await ctx.runtime.stopContainer(id: cid, timeoutSeconds: grace)
        } catch let e as RuntimeError where e.isNotFound {}
        let observed = try await ctx.containerStatusIfPresent(cid)
        try await recordDeath(c, rec, observed: observed, restart: restart)
    }

    /// Records the container's termination (kubelet's `ContainerStatusUnknown`, exit 137, when
    /// the runtime lost it), removes it, and starts the next one when `restart`.
    private func recordDeath(_ c: Container, _ rec: ContainerRecord, observed: RuntimeContainerStatus?, restart: Bool) async throws {
        let terminated = SyncContext.termination(
            observed, containerID: ctx.statusID(rec.containerID ?? ""), fallbackStartedAt: rec.startedAt)
        var r = rec
        r.lifecycle = .exited(terminated)
        r.containerID = nil
        r.updatedAt = Date()
        run.containers[c.name] = r
        let saved = r
        try await ctx.write(run) { tx in try tx.saveContainer(saved) }
        // An init container stays in the runtime as exited (its logs), as before; a regular one goes.
        if let id = rec.containerID, !isInit(c) {
            try? await ctx.runtime.removeContainer(id: id)
        }
        guard restart else { return }
        try await ContainerStarter(ctx: ctx).startOrBackOff(run, c, prior: r, sandboxID: sandboxID, sandboxConfig: sandboxConfig)
    }
}

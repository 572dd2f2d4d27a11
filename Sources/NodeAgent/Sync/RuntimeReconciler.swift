import ContainerRuntime
import Foundation
import PodAPI
import StateStore

/// Reconciles the store with what the runtime holds, by the labels kubelet puts on sandboxes
/// and containers: adopts a pod's sandbox and containers the store lost (a deleted or restored
/// state file), and removes containers and sandboxes of the pod the store does not know (left by
/// a crash between a runtime call and its record). The runtime outlives the agent; its objects
/// are the truth about what runs.
struct RuntimeReconciler {
    let ctx: SyncContext

    /// The pod's ready sandbox made for this spec, recorded as the pod's, if the runtime has one.
    func adoptSandbox(_ run: SyncRun, specHash: String) async throws -> SandboxRecord? {
        let rt = ctx.runtime
        let uid = run.uid
        let list = try await rt.listPodSandboxes(labelSelector: [KubeletLabels.podUID: uid, RuntimeConfigs.managedLabel: "true"])
        guard
            let sb = list.filter({ $0.state == .ready && $0.annotations[RuntimeConfigs.podSpecHashAnnotation] == specHash })
                .max(by: { $0.createdAt < $1.createdAt })
        else { return nil }
        let status = try? await rt.podSandboxStatus(id: sb.id)
        let rec = SandboxRecord(
            id: sb.id, podUID: uid, attempt: Int(sb.attempt), state: SandboxState.ready.rawValue,
            ip: status?.ip ?? "", createdAt: Date(timeIntervalSince1970: Double(sb.createdAt) / 1e9))
        let now = Date()
        try await ctx.write(run) { tx in
            try tx.saveSandbox(rec)
            try SyncContext.updatePod(tx, uid: uid) { if $0.startTime == nil { $0.startTime = now } }
        }
        ctx.logger.info("adopted sandbox from the runtime", metadata: ["pod": "\(run.key)", "sandbox": "\(sb.id)"])
        return rec
    }

    /// Records the newest container of this name in the sandbox, with the hash, algorithm and
    /// restartCount its annotations carry, when the store has no record of it.
    func adoptContainer(_ run: SyncRun, _ c: Container, sandboxID: String) async throws {
        let rt = ctx.runtime
        let selector = [KubeletLabels.podUID: run.uid, KubeletLabels.containerName: c.name]
        let list = try await rt.listContainers(filter: ContainerFilter(sandboxID: sandboxID, labelSelector: selector))
        guard let newest = list.max(by: { ($0.attempt, $0.createdAt) < ($1.attempt, $1.createdAt) }),
            let st = try await ctx.containerStatusIfPresent(newest.id)
        else { return }
        let restartCount = Int(newest.annotations[KubeletLabels.containerRestartCount] ?? "") ?? Int(newest.attempt)
        let started = st.startedAt > 0 ? Date(timeIntervalSince1970: Double(st.startedAt) / 1e9) : nil
        let lifecycle: ContainerLifecycle
        switch st.state {
        case .running, .created: lifecycle = .running(startedAt: started)
        default: lifecycle = .exited(SyncContext.termination(st, containerID: ctx.statusID(newest.id), fallbackStartedAt: started))
        }
        let rec = ContainerRecord(
            podUID: run.uid, name: c.name, hash: newest.annotations[KubeletLabels.containerHash] ?? "",
            hashAlgorithm: newest.annotations[KubeletLabels.containerHashAlgorithm] ?? HashAlgorithm.nameImage.rawValue,
            containerID: newest.id, image: newest.image, imageID: st.imageRef, restartCount: restartCount,
            lifecycle: lifecycle, lastTermination: nil, startedAt: started, updatedAt: Date())
        try await ctx.save(run, container: rec)
        ctx.logger.info(
            "adopted container from the runtime",
            metadata: [
                "pod": "\(run.key)", "container": "\(c.name)", "id": "\(newest.id)", "restartCount": "\(restartCount)",
            ])
    }

    /// Stops and removes the pod's containers and sandboxes that no record names.
    /// - Returns: false when the runtime refused to remove a container (logged; the caller
    ///   tries again later, as kubelet's container GC does, without failing the pod's sync).
    /// - Throws: a ``RuntimeError`` when the runtime is unavailable, or a stop or sandbox call
    ///   it refused; a store error.
    @discardableResult
    func removeLeftovers(_ run: SyncRun) async throws -> Bool {
        var complete = true
        let rt = ctx.runtime
        let uid = run.uid
        // A container an in-place update replaced in this sync is removed after the status.
        let known = Set(run.containers.values.compactMap(\.containerID)).union(run.replaced)
        let containers = try await rt.listContainers(filter: ContainerFilter(labelSelector: [KubeletLabels.podUID: uid]))
        for c in containers where !known.contains(c.id) {
            ctx.logger.warning(
                "removing a container the store does not know (left by a crash)",
                metadata: [
                    "pod": "\(run.key)", "container": "\(c.name)", "id": "\(c.id)", "attempt": "\(c.attempt)",
                ])
            if c.state == .running || c.state == .created {
                do { try await rt.stopContainer(id: c.id, timeoutSeconds: run.terminationGracePeriod) } catch let e as RuntimeError
                    where e.isNotFound
                {}
            }
            do {
                try await rt.removeContainer(id: c.id)
            } catch let e as RuntimeError where e.isNotFound {
            } catch let e as RuntimeError {
                if case .unavailable = e { throw e }
                ctx.logger.warning(
                    "the runtime refused to remove a container the store does not know; trying again later",
                    metadata: ["pod": "\(run.key)", "id": "\(c.id)", "error": "\(e)"])
                complete = false
            }
        }
        let sandboxes = try await rt.listPodSandboxes(labelSelector: [KubeletLabels.podUID: uid, RuntimeConfigs.managedLabel: "true"])
        for sb in sandboxes where sb.id != run.sandbox?.id {
            ctx.logger.warning(
                "removing a sandbox the store does not know (left by a crash)", metadata: ["pod": "\(run.key)", "sandbox": "\(sb.id)"])
            try? await rt.stopPodSandbox(id: sb.id)
            do { try await rt.removePodSandbox(id: sb.id) } catch let e as RuntimeError where e.isNotFound {}
            try await ctx.write(run) { tx in try tx.deleteSandbox(id: sb.id) }
        }
        return complete
    }
}

import ContainerRuntime
import Foundation
import PodAPI
import StateStore

/// Stops a pod's containers and sandbox, as kubelet's KillPod: each container gets its pod's
/// terminationGracePeriodSeconds; a `Killing` event names it. Containers stay in the runtime as
/// exited (until the pod is removed) so their last state can be reported.
struct PodKiller {
    let ctx: SyncContext

    /// Stops every running container of the pod, all at once (as kubelet's
    /// killContainersWithSyncResult, one goroutine per container), so the pod's
    /// terminationGracePeriodSeconds bounds the whole pod, not each container in turn; then
    /// records each stopped one as terminated.
    /// - Throws: the first StopContainer error other than not-found (after the others were
    ///   stopped and recorded), or a ContainerStatus error (`RuntimeError`); a store error.
    func killContainers(_ run: SyncRun, reason: String?) async throws {
        let rt = ctx.runtime
        var toStop: [(name: String, id: String)] = []
        var present: [String: String] = [:]
        for (name, rec) in run.containers.sorted(by: { $0.key < $1.key }) {
            guard let id = rec.containerID else { continue }
            present[name] = id
            let st = try await ctx.containerStatusIfPresent(id)
            if let st, st.state == .running || st.state == .created {
                run.event(
                    PendingEvent(
                        container: name, reason: EventReason.killing,
                        message: reason.map { "Stopping container \(name): \($0)" } ?? "Stopping container \(name)"))
                toStop.append((name, id))
            }
        }
        let grace = run.terminationGracePeriod
        let ctx = self.ctx
        let failures = await withTaskGroup(of: (String, (any Error)?).self) { group in
            for (name, id) in toStop {
                group.addTask {
                    do {
                        try await rt.stopContainer(id: id, timeoutSeconds: grace)
                        return (name, nil)
                    } catch let e as RuntimeError where e.isNotFound {
                        return (name, nil)
                    } catch {
                        return (name, error)
                    }
                }
            }
            var failures: [String: any Error] = [:]
            for await (name, error) in group { if let error { failures[name] = error } }
            return failures
        }
        for (name, id) in present.sorted(by: { $0.key < $1.key }) where failures[name] == nil {
            guard let rec = run.containers[name] else { continue }
            let after = try await ctx.containerStatusIfPresent(id)
            let terminated = SyncContext.termination(after, containerID: ctx.statusID(id), fallbackStartedAt: rec.startedAt)
            if rec.lifecycle.termination == nil {
                var r = rec
                r.lifecycle = .exited(terminated)
                r.updatedAt = Date()
                run.containers[name] = r
                let saved = r
                try await ctx.write(run) { tx in try tx.saveContainer(saved) }
            }
        }
        if let (_, error) = failures.sorted(by: { $0.key < $1.key }).first { throw error }
    }

    /// Stops and removes a sandbox (and so its containers) and forgets it.
    func removeSandbox(_ run: SyncRun, _ sb: SandboxRecord) async throws {
        let rt = ctx.runtime
        do { try await rt.stopPodSandbox(id: sb.id) } catch let e as RuntimeError where e.isNotFound {}
        do { try await rt.removePodSandbox(id: sb.id) } catch let e as RuntimeError where e.isNotFound {}
        try await ctx.write(run) { tx in try tx.deleteSandbox(id: sb.id) }
        run.sandbox = nil
    }

    /// Deletes the pod: kills it, removes its sandboxes, drops its records and queues its last
    /// status. Used when its manifest is gone.
    func deletePod(_ run: SyncRun) async throws {
        try await killContainers(run, reason: nil)
        let rt = ctx.runtime
        let uid = run.uid
        let sandboxes = try await rt.listPodSandboxes(labelSelector: [KubeletLabels.podUID: uid])
        for sb in sandboxes {
            try? await rt.stopPodSandbox(id: sb.id)
            do {
                try await rt.removePodSandbox(id: sb.id)
            } catch let e as RuntimeError {
                // A runtime that is down is retried (the pod stays known); one that refuses (e.g.
                // containerd cannot tear down a sandbox whose CNI setup failed) keeps its
                // sandbox, and the pod goes anyway rather than being stuck in the listing.
                if case .unavailable = e { throw e }
                ctx.logger.warning(
                    "cannot remove the sandbox of a deleted pod; left to the runtime",
                    metadata: [
                        "pod": "\(run.key)", "sandbox": "\(sb.id)", "error": "\(e)",
                    ])
            }
        }
        let events = run.drainEvents(at: Date())
        try await ctx.write(run) { tx in
            for e in events { try tx.appendEvent(e) }
            try tx.deletePod(uid: uid)
        }
        ctx.backoff.reset(prefix: uid + "/")
        // Its emptyDir volumes go with it, as kubelet cleans up a deleted pod's directory.
        PodVolumes(podsDirectory: ctx.settings.podsDirectory).removePodDirectory(uid: uid)
    }
}

import ContainerRuntime
import Foundation
import PodAPI
import StateStore

/// Stops a pod's containers and sandbox, as kubelet's KillPod: each container gets its pod's
/// terminationGracePeriodSeconds; a `Killing` event names it. Containers stay in the runtime as
/// exited (until the pod is removed) so their last state can be reported.
struct PodKiller {
    let syncer: PodSyncer

    /// Stops every running container of the pod; records each as terminated.
    func killContainers(_ run: SyncRun, reason: String?) async throws {
        let rt = syncer.runtime
        for (name, rec) in run.containers {
            guard let id = rec.containerID else { continue }
            let st = try await syncer.containerStatusIfPresent(id)
            if let st, st.state == .running || st.state == .created {
                run.event(PendingEvent(container: name, reason: EventReason.killing, message: reason.map { "Stopping container \(name): \($0)" } ?? "Stopping container \(name)"))
                let grace = run.terminationGracePeriod
                do {
                    try await syncer.timed("StopContainer") { try await rt.stopContainer(id: id, timeoutSeconds: grace) }
                } catch let e as RuntimeError where e.isNotFound {}
            }
            let after = try await syncer.containerStatusIfPresent(id)
            var r = rec
            let terminated = PodSyncer.terminatedState(after, containerID: "\(syncer.runtimeName)://\(id)", fallbackStartedAt: rec.startedAt)
            let state = StatusBuilder.decodeState(rec.stateJSON)
            if state.terminated == nil {
                r.stateJSON = StatusBuilder.encodeState(ContainerState(terminated: terminated))
                r.updatedAt = Date()
                run.containers[name] = r
                let saved = r
                try syncer.store.write { tx in try tx.saveContainer(saved) }
            }
        }
    }

    /// Stops and removes a sandbox (and so its containers) and forgets it.
    func removeSandbox(_ run: SyncRun, _ sb: SandboxRecord) async throws {
        let rt = syncer.runtime
        do { try await syncer.timed("StopPodSandbox") { try await rt.stopPodSandbox(id: sb.id) } } catch let e as RuntimeError where e.isNotFound {}
        do { try await syncer.timed("RemovePodSandbox") { try await rt.removePodSandbox(id: sb.id) } } catch let e as RuntimeError where e.isNotFound {}
        try syncer.store.write { tx in try tx.deleteSandbox(id: sb.id) }
        run.sandbox = nil
    }

    /// Deletes the pod: kills it, removes its sandboxes, drops its records and queues its last
    /// status. Used when its manifest is gone.
    func deletePod(_ run: SyncRun) async throws {
        try await killContainers(run, reason: nil)
        let rt = syncer.runtime
        let uid = run.uid
        let sandboxes = try await syncer.timed("ListPodSandbox") { try await rt.listPodSandboxes(labelSelector: [KubeletLabels.podUID: uid]) }
        for sb in sandboxes {
            try? await rt.stopPodSandbox(id: sb.id)
            do {
                try await syncer.timed("RemovePodSandbox") { try await rt.removePodSandbox(id: sb.id) }
            } catch let e as RuntimeError {
                // A runtime that is down is retried (the pod stays known); one that refuses (e.g.
                // containerd cannot tear down a sandbox whose CNI setup failed) keeps its
                // sandbox, and the pod goes anyway rather than being stuck in the listing.
                if case .unavailable = e { throw e }
                syncer.logger.warning("cannot remove the sandbox of a deleted pod; left to the runtime", metadata: [
                    "pod": "\(run.key)", "sandbox": "\(sb.id)", "error": "\(e)"])
            }
        }
        let events = run.drainEvents(at: Date())
        try syncer.store.write { tx in
            for e in events { try tx.appendEvent(e) }
            try tx.deletePod(uid: uid)
        }
        syncer.backoff.reset(prefix: uid + "/")
        syncer.statuses.remove(uid)
        // Its emptyDir volumes go with it, as kubelet cleans up a deleted pod's directory.
        PodVolumes(podsDirectory: syncer.config.podsDirectory).removePodDirectory(uid: uid)
    }
}

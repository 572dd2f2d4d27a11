import ContainerRuntime
import Foundation
import PodAPI
import StateStore

/// Runs a pod's init containers in order before its regular containers, as kubelet's
/// computeInitContainerActions: each must exit 0 before the next starts; a failed one restarts
/// per restartPolicy (with back-off), and under `Never` the pod fails. A restartable init
/// container (`restartPolicy: Always`, a sidecar) counts as done once running.
struct InitContainers {
    let syncer: PodSyncer

    enum Result { case done, blocked }

    func run(_ run: SyncRun, sandboxID: String, sandboxConfig: PodSandboxConfig) async throws -> Result {
        for ic in run.pod.spec.initContainers ?? [] {
            let sidecar = ic.other["restartPolicy"]?.stringValue == "Always"
            let rec = run.containers[ic.name]
            let state = rec.map { StatusBuilder.decodeState($0.stateJSON) } ?? ContainerState()
            if !sidecar, state.terminated?.exitCode == 0 { continue }
            // A sidecar's image change is upgraded in place like a regular container's (kubelet
            // restarts a restartable init container whose hash changed); a finished init
            // container is not run again for one.
            if sidecar, let upd = run.updates[ic.name] {
                try await InPlaceUpdater(syncer: syncer).advance(run, ic, upd, sandboxID: sandboxID, sandboxConfig: sandboxConfig)
                if run.containers[ic.name]?.containerID != nil { continue }
                return .blocked
            }
            if let rec, let id = rec.containerID {
                let st = try await syncer.containerStatusIfPresent(id)
                if let st, st.state == .running || st.state == .created {
                    if st.state == .created { try await syncer.runtime.startContainer(id: id) }
                    if sidecar, syncer.hashChanged(ic, rec) {
                        try await InPlaceUpdater(syncer: syncer).begin(run, ic, rec, sandboxID: sandboxID, sandboxConfig: sandboxConfig)
                    }
                    if sidecar { continue }
                    return .blocked
                }
                let terminated = PodSyncer.terminatedState(st, containerID: "\(syncer.runtimeName)://\(id)", fallbackStartedAt: rec.startedAt)
                var r = rec
                r.stateJSON = StatusBuilder.encodeState(ContainerState(terminated: terminated))
                r.containerID = nil
                r.updatedAt = Date()
                run.containers[ic.name] = r
                let saved = r
                try syncer.store.write { tx in try tx.saveContainer(saved) }
                if !sidecar && terminated.exitCode == 0 { continue }
                if (run.pod.spec.restartPolicy ?? "Always") == "Never" && !sidecar { return .blocked }
                try await ContainerStarter(syncer: syncer).startOrBackOff(run, ic, prior: r, sandboxID: sandboxID, sandboxConfig: sandboxConfig)
                return .blocked
            }
            if let rec, state.terminated != nil, (run.pod.spec.restartPolicy ?? "Always") == "Never", !sidecar { return .blocked }
            try await ContainerStarter(syncer: syncer).startOrBackOff(run, ic, prior: rec, sandboxID: sandboxID, sandboxConfig: sandboxConfig)
            if sidecar, run.containers[ic.name]?.containerID != nil { continue }
            return .blocked
        }
        return .done
    }
}

import Foundation
import PodAPI
import Prober
import StateStore

extension ProbeManager {
    /// The containers of `run` whose probes run: those recorded running with a container ID,
    /// none once the pod has a terminal phase.
    static func runningContainers(_ run: SyncRun) -> [String: RunningContainer] {
        guard run.record.terminalPhase == nil else { return [:] }
        var running: [String: RunningContainer] = [:]
        for c in run.pod.spec.containers {
            guard let rec = run.containers[c.name], let id = rec.containerID, rec.lifecycle.isRunning else { continue }
            running[c.name] = RunningContainer(id: id, startedAt: rec.startedAt ?? Date())
        }
        return running
    }

    /// Starts and stops the probe workers of `run`'s pod to follow its running containers (an
    /// act of the sync, as kubelet's prober manager adds and removes workers in SyncPod).
    func track(_ run: SyncRun, podIP: String) {
        guard run.pod.spec.containers.contains(where: Self.hasProbes) else {
            observe(uid: run.uid, pod: run.pod, running: [:], podIP: podIP)
            return
        }
        observe(uid: run.uid, pod: run.pod, running: Self.runningContainers(run), podIP: podIP)
    }

    /// What the probes make of each probed container's `started` and `ready`, by name. Reads
    /// the results only: it starts or stops nothing.
    func statuses(_ run: SyncRun) -> [String: ContainerProbeStatus] {
        guard run.pod.spec.containers.contains(where: Self.hasProbes) else { return [:] }
        let running = Self.runningContainers(run)
        var out: [String: ContainerProbeStatus] = [:]
        for c in run.pod.spec.containers where Self.hasProbes(c) {
            let id = running[c.name]?.id
            out[c.name] = status(uid: run.uid, container: c, containerID: id, running: id != nil)
        }
        return out
    }
}

import PodAPI
import Prober

/// When a worker probes: first at `initialDelaySeconds` after the container started (at once
/// if that has passed), then every `periodSeconds`.
enum ProbeSchedule {
    static func first(startedAt: Double, now: Double, probe: Probe) -> Double {
        max(now, startedAt + Double(max(0, probe.initialDelaySeconds)))
    }

    /// The probe after one that was due at `due` and ended at `now`: one period later, never
    /// in the past (a slow probe does not cause a burst).
    static func next(after due: Double, now: Double, probe: Probe) -> Double {
        max(now, due + Double(max(1, probe.periodSeconds)))
    }
}

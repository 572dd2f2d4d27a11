import PodAPI
import Prober

/// The threshold rule of one probe worker (kubelet's worker.doProbe): a run of
/// `successThreshold` consecutive successes sets Success, a run of `failureThreshold`
/// consecutive failures sets Failure; below a threshold the result stays as it was. Liveness and
/// startup probes need one success (the API requires successThreshold 1 for them).
struct ProbeThresholds: Sendable, Hashable {
    let successThreshold: Int64
    let failureThreshold: Int64
    private(set) var lastSuccess: Bool?
    private(set) var run: Int64 = 0

    init(kind: ProbeKind, probe: Probe) {
        successThreshold = kind == .readiness ? max(1, probe.successThreshold) : 1
        failureThreshold = max(1, probe.failureThreshold)
    }

    /// Counts one probe; returns the result to set once its threshold is reached (every probe
    /// past it too), else nil.
    mutating func record(success: Bool) -> ProbeResult? {
        if lastSuccess == success {
            run += 1
        } else {
            lastSuccess = success
            run = 1
        }
        if success { return run >= successThreshold ? .success : nil }
        return run >= failureThreshold ? .failure : nil
    }
}

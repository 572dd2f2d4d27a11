import Foundation

/// Counters and histograms of the agent, rendered in the Prometheus text format with the names a
/// kubelet user knows where one exists (`kubelet_runtime_operations_*`, `kubelet_pod_worker_*`).
/// Durations are seconds.
public final class AgentMetrics: @unchecked Sendable {
    private let lock = NSLock()
    private var runtimeOps: [String: (count: Int, errors: Int, seconds: Double)] = [:]
    private var syncCount = 0
    private var syncSeconds = 0.0
    private var inPlaceStartedCount = 0
    private var inPlaceResults: [String: (count: Int, seconds: Double)] = [:]
    private var relists = 0
    private var relistSeconds = 0.0

    public init() {}

    func observeRuntime(method: String, seconds: Double, failed: Bool) {
        lock.lock(); defer { lock.unlock() }
        var e = runtimeOps[method] ?? (0, 0, 0)
        e.count += 1
        if failed { e.errors += 1 }
        e.seconds += seconds
        runtimeOps[method] = e
    }

    func observeSync(seconds: Double) {
        lock.lock(); defer { lock.unlock() }
        syncCount += 1
        syncSeconds += seconds
    }

    func observeRelist(seconds: Double) {
        lock.lock(); defer { lock.unlock() }
        relists += 1
        relistSeconds += seconds
    }

    func inPlaceStarted() {
        lock.lock(); defer { lock.unlock() }
        inPlaceStartedCount += 1
    }

    func inPlaceFinished(result: String, seconds: Double) {
        lock.lock(); defer { lock.unlock() }
        var e = inPlaceResults[result] ?? (0, 0)
        e.count += 1
        e.seconds += seconds
        inPlaceResults[result] = e
    }

    /// In-place updates finished with `result` so far.
    public func inPlaceCount(result: String) -> Int {
        lock.lock(); defer { lock.unlock() }
        return inPlaceResults[result]?.count ?? 0
    }

    /// The exposition text, with `pods` the number of pods the agent runs.
    public func render(pods: Int, outboxDepth: Int) -> String {
        lock.lock(); defer { lock.unlock() }
        var out = ""
        out += "# HELP kubelet_running_pods Number of pods the agent runs.\n# TYPE kubelet_running_pods gauge\n"
        out += "kubelet_running_pods \(pods)\n"
        out += "# HELP kubelet_runtime_operations_total Runtime calls by method.\n# TYPE kubelet_runtime_operations_total counter\n"
        for (m, e) in runtimeOps.sorted(by: { $0.key < $1.key }) { out += "kubelet_runtime_operations_total{operation_type=\"\(m)\"} \(e.count)\n" }
        out += "# HELP kubelet_runtime_operations_errors_total Failed runtime calls by method.\n# TYPE kubelet_runtime_operations_errors_total counter\n"
        for (m, e) in runtimeOps.sorted(by: { $0.key < $1.key }) { out += "kubelet_runtime_operations_errors_total{operation_type=\"\(m)\"} \(e.errors)\n" }
        out += "# HELP kubelet_runtime_operations_duration_seconds_sum Time spent in runtime calls by method, seconds.\n# TYPE kubelet_runtime_operations_duration_seconds_sum counter\n"
        for (m, e) in runtimeOps.sorted(by: { $0.key < $1.key }) { out += "kubelet_runtime_operations_duration_seconds_sum{operation_type=\"\(m)\"} \(e.seconds)\n" }
        out += "# HELP kubelet_pod_worker_duration_seconds Pod sync duration, seconds.\n# TYPE kubelet_pod_worker_duration_seconds summary\n"
        out += "kubelet_pod_worker_duration_seconds_sum \(syncSeconds)\nkubelet_pod_worker_duration_seconds_count \(syncCount)\n"
        out += "# HELP kubelet_pleg_relist_duration_seconds Relist duration, seconds.\n# TYPE kubelet_pleg_relist_duration_seconds summary\n"
        out += "kubelet_pleg_relist_duration_seconds_sum \(relistSeconds)\nkubelet_pleg_relist_duration_seconds_count \(relists)\n"
        out += "# HELP inplaced_inplace_updates_started_total In-place updates started.\n# TYPE inplaced_inplace_updates_started_total counter\n"
        out += "inplaced_inplace_updates_started_total \(inPlaceStartedCount)\n"
        out += "# HELP inplaced_inplace_updates_total In-place updates finished, by result.\n# TYPE inplaced_inplace_updates_total counter\n"
        for (r, e) in inPlaceResults.sorted(by: { $0.key < $1.key }) { out += "inplaced_inplace_updates_total{result=\"\(r)\"} \(e.count)\n" }
        out += "# HELP inplaced_status_outbox_depth Statuses waiting for delivery to the controller.\n# TYPE inplaced_status_outbox_depth gauge\n"
        out += "inplaced_status_outbox_depth \(outboxDepth)\n"
        return out
    }
}

import Foundation
import Prometheus

/// The agent's metrics in a swift-prometheus registry, with the names a kubelet user knows where
/// one exists (`kubelet_runtime_operations_*`, `kubelet_pod_worker_duration_seconds`,
/// `kubelet_pleg_relist_duration_seconds`, `kubelet_running_pods`) and `inplaced_*` for the
/// in-place updates and the status outbox. Durations are seconds. Other modules (the reporter)
/// register their metrics in the same `registry`.
public final class AgentMetrics: @unchecked Sendable {
    public let registry: PrometheusCollectorRegistry
    private let lock = NSLock()
    private var runtimeOps: [String: (count: Counter, errors: Counter, duration: ValueHistogram)] = [:]
    private var inPlaceByResult: [String: Counter] = [:]
    private let podWorker: ValueHistogram
    private let relist: ValueHistogram
    private let inPlaceStartedTotal: Counter
    private let inPlaceDuration: ValueHistogram
    private let runningPods: Gauge
    private let outboxDepth: Gauge
    private let containerEvents: Counter
    private let eventStreamConnected: Counter
    private let eventStreamErrors: Counter

    /// Buckets for runtime calls and syncs, seconds (kubelet's are exponential from 5 ms).
    static let fastBuckets: [Double] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
    /// Buckets for whole in-place updates, seconds (grace periods included).
    static let updateBuckets: [Double] = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600]

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        podWorker = registry.makeValueHistogram(
            descriptor: Self.name("kubelet_pod_worker_duration", "seconds", "Duration of one pod sync, seconds."),
            labels: [], buckets: Self.fastBuckets)
        relist = registry.makeValueHistogram(
            descriptor: Self.name("kubelet_pleg_relist_duration", "seconds", "Duration of one relist of the runtime, seconds."),
            labels: [], buckets: Self.fastBuckets)
        inPlaceStartedTotal = registry.makeCounter(
            descriptor: Self.name("inplaced_inplace_updates_started", "total", "In-place updates started."), labels: [])
        inPlaceDuration = registry.makeValueHistogram(
            descriptor: Self.name(
                "inplaced_inplace_update_duration", "seconds", "Seconds from a detected image change to the update's end."),
            labels: [], buckets: Self.updateBuckets)
        runningPods = registry.makeGauge(descriptor: Self.name("kubelet_running_pods", "", "Number of pods the agent runs."), labels: [])
        outboxDepth = registry.makeGauge(
            descriptor: Self.name("inplaced_status_outbox_depth", "", "Pods whose newest status waits in the outbox."), labels: [])
        containerEvents = registry.makeCounter(
            descriptor: Self.name("inplaced_container_events", "total", "Container and sandbox events received from the runtime."),
            labels: [])
        eventStreamConnected = registry.makeCounter(
            descriptor: Self.name(
                "kubelet_evented_pleg_connection_success_count", "", "Subscriptions to the runtime's container events that succeeded."),
            labels: [])
        eventStreamErrors = registry.makeCounter(
            descriptor: Self.name(
                "kubelet_evented_pleg_connection_error_count", "", "Container event streams that failed or could not be opened."),
            labels: [])
    }

    static func name(_ metric: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: metric, unitName: unit, helpText: help)
    }

    func observeRuntime(method: String, seconds: Double, failed: Bool) {
        lock.lock()
        let m: (count: Counter, errors: Counter, duration: ValueHistogram)
        if let existing = runtimeOps[method] {
            m = existing
        } else {
            let labels = [("operation_type", method)]
            m = (
                registry.makeCounter(
                    descriptor: Self.name("kubelet_runtime_operations", "total", "Runtime calls by method."), labels: labels),
                registry.makeCounter(
                    descriptor: Self.name("kubelet_runtime_operations_errors", "total", "Failed runtime calls by method."), labels: labels),
                registry.makeValueHistogram(
                    descriptor: Self.name("kubelet_runtime_operations_duration", "seconds", "Runtime call duration by method, seconds."),
                    labels: labels, buckets: Self.fastBuckets)
            )
            runtimeOps[method] = m
        }
        lock.unlock()
        m.count.increment()
        if failed { m.errors.increment() }
        m.duration.record(seconds)
    }

    func observeSync(seconds: Double) { podWorker.record(seconds) }

    func observeRelist(seconds: Double) { relist.record(seconds) }

    func observeContainerEvent() { containerEvents.increment() }

    /// One subscription to the runtime's events: opened (`connected`) or failed.
    func observeEventStream(connected: Bool) { (connected ? eventStreamConnected : eventStreamErrors).increment() }

    func inPlaceStarted() { inPlaceStartedTotal.increment() }

    func inPlaceFinished(result: String, seconds: Double) {
        lock.lock()
        let counter =
            inPlaceByResult[result]
            ?? registry.makeCounter(
                descriptor: Self.name("inplaced_inplace_updates", "total", "In-place updates finished, by result."),
                labels: [("result", result)])
        inPlaceByResult[result] = counter
        lock.unlock()
        counter.increment()
        inPlaceDuration.record(seconds)
    }

    /// The exposition text of the whole registry, with the gauges set to `pods` and `outboxDepth` first.
    public func render(pods: Int, outboxDepth depth: Int) -> String {
        runningPods.set(to: Double(pods))
        outboxDepth.set(to: Double(depth))
        return registry.emitToString()
    }
}

import Foundation
import Logging
import NodeAgent
import PodAPI
import Prometheus
import Reporter
import ServiceLifecycle
import StateStore

/// The delivery metrics in the agent's registry: queue depth, delivery latency (seconds, from a
/// status queued to the controller's 2xx) and failures by kind.
final class DeliveryObserver: ReporterObserver, @unchecked Sendable {
    private let registry: PrometheusCollectorRegistry
    let queueDepth: Gauge
    private let latency: ValueHistogram
    private let lock = NSLock()
    private var failures: [String: Counter] = [:]

    init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
        queueDepth = registry.makeGauge(
            descriptor: MetricNameDescriptor(
                metricName: "inplaced_reporter_queue_depth", unitName: "",
                helpText: "Pods whose newest status waits for delivery to the controller."), labels: [])
        latency = registry.makeValueHistogram(
            descriptor: MetricNameDescriptor(
                metricName: "inplaced_reporter_delivery_duration", unitName: "seconds",
                helpText: "Seconds from a status queued to the controller's 2xx."), labels: [],
            buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300])
    }

    func statusDelivered(latency seconds: Double) { latency.record(seconds) }

    func statusDeliveryFailed(kind: DeliveryFailureKind) {
        lock.lock()
        let c =
            failures[kind.rawValue]
            ?? registry.makeCounter(
                descriptor: MetricNameDescriptor(
                    metricName: "inplaced_reporter_delivery_failures", unitName: "total",
                    helpText: "Failed deliveries to the controller by kind."),
                labels: [("kind", kind.rawValue)])
        failures[kind.rawValue] = c
        lock.unlock()
        c.increment()
    }
}

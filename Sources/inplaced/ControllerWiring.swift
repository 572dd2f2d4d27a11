import Foundation
import Logging
import NodeAgent
import Prometheus
import PodAPI
import Reporter
import ServiceLifecycle
import StateStore

/// The reporters of one controller endpoint: pod statuses from the outbox and the node heartbeat,
/// with the counters `/metrics` and `inplacectl status` show.
final class ControllerWiring: Sendable {
    let statuses: StatusReporter
    let heartbeat: NodeStatusReporter
    let observer: DeliveryObserver

    /// - Throws: `ReporterError` naming the URL, token file or CA file at fault.
    init(settings: DaemonConfiguration, url: String, store: StateStore, registry: PrometheusCollectorRegistry,
         outbox: OutboxNotifications, logger: Logger, info: @escaping @Sendable () async -> NodeHeartbeatInfo) throws {
        let endpoint = try ControllerEndpoint(url: url, tokenFile: settings.controllerTokenFile, caFile: settings.controllerCAFile,
                                              userAgent: "inplaced/\(AgentVersion.current)")
        observer = DeliveryObserver(registry: registry)
        statuses = StatusReporter(store: store, configuration: try StatusReporterConfiguration(endpoint: endpoint),
                                  observer: observer, logger: logger, notifications: outbox)
        heartbeat = try NodeStatusReporter(endpoint: endpoint, nodeName: settings.nodeName ?? ProcessInfo.processInfo.hostName,
                                           interval: settings.nodeStatusPeriodSeconds ?? 10, observer: observer, logger: logger,
                                           info: info)
    }

    /// What `inplacectl status` shows of the connection.
    var connection: ControllerConnection {
        let s = statuses.state
        let h = heartbeat.state
        return ControllerConnection(url: s.controllerURL, lastSuccess: s.lastSuccessAt.map(Time.init), lastError: s.lastError ?? h.lastError,
                                    lastErrorTime: (s.lastErrorAt ?? h.lastErrorAt).map(Time.init), queueDepth: s.queueDepth,
                                    delivered: s.delivered, failed: s.failed, heartbeatsSent: h.sent, heartbeatsFailed: h.failed,
                                    lastHeartbeat: h.lastSuccessAt.map(Time.init))
    }

    /// Sets the queue-depth gauge before the registry is rendered.
    func refreshGauges() { observer.queueDepth.set(to: Double(statuses.state.queueDepth)) }
}

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
        queueDepth = registry.makeGauge(descriptor: MetricNameDescriptor(
            metricName: "inplaced_reporter_queue_depth", unitName: "", helpText: "Pods whose newest status waits for delivery to the controller."), labels: [])
        latency = registry.makeValueHistogram(descriptor: MetricNameDescriptor(
            metricName: "inplaced_reporter_delivery_duration", unitName: "seconds",
            helpText: "Seconds from a status queued to the controller's 2xx."), labels: [],
            buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300])
    }

    func statusDelivered(latency seconds: Double) { latency.record(seconds) }

    func statusDeliveryFailed(kind: DeliveryFailureKind) {
        lock.lock()
        let c = failures[kind.rawValue] ?? registry.makeCounter(descriptor: MetricNameDescriptor(
            metricName: "inplaced_reporter_delivery_failures", unitName: "total", helpText: "Failed deliveries to the controller by kind."),
            labels: [("kind", kind.rawValue)])
        failures[kind.rawValue] = c
        lock.unlock()
        c.increment()
    }
}

/// The status socket's view: the agent's, with the controller connection added to health and
/// the reporter's lines added to the metrics.
struct DaemonStatusProvider: PodStatusProvider {
    let agent: NodeAgent
    let controller: ControllerWiring?

    func listPods() async -> [Pod] { await agent.listPods() }
    func getPod(namespace: String, name: String) async -> Pod? { await agent.getPod(namespace: namespace, name: name) }
    func updateHistory(namespace: String, name: String) async -> [InPlaceUpdate]? { await agent.updateHistory(namespace: namespace, name: name) }
    func events(namespace: String?, name: String?) async -> [Event] { await agent.events(namespace: namespace, name: name) }
    func health() async -> AgentHealth {
        var h = await agent.health()
        h.controller = controller?.connection
        return h
    }
    func metricsText() async -> String {
        controller?.refreshGauges()
        return await agent.metricsText()
    }
}

import Foundation
import Logging
import NodeAgent
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
    init(settings: DaemonConfiguration, url: String, store: StateStore, logger: Logger,
         info: @escaping @Sendable () async -> NodeHeartbeatInfo) throws {
        let endpoint = try ControllerEndpoint(url: url, tokenFile: settings.controllerTokenFile, caFile: settings.controllerCAFile,
                                              userAgent: "inplaced/\(AgentVersion.current)")
        observer = DeliveryObserver()
        statuses = StatusReporter(store: store, configuration: try StatusReporterConfiguration(endpoint: endpoint),
                                  observer: observer, logger: logger)
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

    /// Prometheus lines of the delivery: queue depth, latency, failures by kind.
    var metricsText: String {
        let s = statuses.state
        let (count, sum) = observer.latency
        var out = "# HELP inplaced_reporter_queue_depth Pods whose newest status waits for delivery to the controller.\n"
        out += "# TYPE inplaced_reporter_queue_depth gauge\ninplaced_reporter_queue_depth \(s.queueDepth)\n"
        out += "# HELP inplaced_reporter_delivery_duration_seconds Seconds from a status queued to the controller's 2xx.\n"
        out += "# TYPE inplaced_reporter_delivery_duration_seconds summary\n"
        out += "inplaced_reporter_delivery_duration_seconds_sum \(sum)\ninplaced_reporter_delivery_duration_seconds_count \(count)\n"
        out += "# HELP inplaced_reporter_delivery_failures_total Failed deliveries by kind.\n# TYPE inplaced_reporter_delivery_failures_total counter\n"
        for (kind, n) in s.failuresByKind.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            out += "inplaced_reporter_delivery_failures_total{kind=\"\(kind.rawValue)\"} \(n)\n"
        }
        return out
    }
}

/// Counts delivery latencies (seconds) for `/metrics`.
final class DeliveryObserver: ReporterObserver, @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    private var sum = 0.0

    func statusDelivered(latency: Double) {
        lock.lock(); count += 1; sum += latency; lock.unlock()
    }

    var latency: (count: Int, sum: Double) {
        lock.lock(); defer { lock.unlock() }
        return (count, sum)
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
    func metricsText() async -> String { await agent.metricsText() + (controller?.metricsText ?? "") }
}

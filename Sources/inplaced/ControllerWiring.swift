import Foundation
import Logging
import NodeAgent
import PodAPI
import Prometheus
import Reporter
import ServiceLifecycle
import StateStore

/// The reporters of one controller endpoint: pod statuses from the outbox and the node heartbeat,
/// with the counters `/metrics` and `inplacectl status` show.
final class ControllerWiring: Sendable {
    let statuses: StatusReporter
    let heartbeat: NodeStatusReporter
    let observer: DeliveryObserver
    let endpoint: ControllerEndpoint
    let nodeName: String
    let logger: Logger

    /// - Throws: `ReporterError` naming the URL, token file or CA file at fault.
    init(
        settings: DaemonConfiguration, url: String, store: StateStore, registry: PrometheusCollectorRegistry,
        outbox: OutboxNotifications, logger: Logger, info: @escaping @Sendable () async -> NodeHeartbeatInfo
    ) throws {
        let endpoint = try ControllerEndpoint(
            url: url, tokenFile: settings.controllerTokenFile, caFile: settings.controllerCAFile,
            userAgent: "inplaced/\(AgentVersion.current)")
        self.endpoint = endpoint
        self.nodeName = settings.nodeName ?? ProcessInfo.processInfo.hostName
        self.logger = logger
        observer = DeliveryObserver(registry: registry)
        statuses = StatusReporter(
            store: store, configuration: try StatusReporterConfiguration(endpoint: endpoint),
            observer: observer, logger: logger, notifications: outbox)
        let statuses = self.statuses
        heartbeat = try NodeStatusReporter(
            endpoint: endpoint, nodeName: settings.nodeName ?? ProcessInfo.processInfo.hostName,
            interval: settings.nodeStatusPeriodSeconds ?? 10, observer: observer, logger: logger,
            onReconnect: { await statuses.controllerReachable() }, info: info)
    }

    /// The pods the controller binds to this node (list and watch), for the agent beside its
    /// manifest pods.
    func podSource(agent: NodeAgent) -> APIPodSource {
        APIPodSource(
            endpoint: endpoint, nodeName: nodeName, logger: logger,
            isStopped: { uid in !(await agent.listPods().contains { $0.metadata.uid == uid }) },
            reconcile: { uid, conditions in await agent.reconcileStatus(uid: uid, apiConditions: conditions) })
    }

    /// What `inplacectl status` shows of the connection.
    var connection: ControllerConnection {
        let s = statuses.state
        let h = heartbeat.state
        return ControllerConnection(
            url: s.controllerURL, lastSuccess: s.lastSuccessAt.map(Time.init), lastError: s.lastError ?? h.lastError,
            lastErrorTime: (s.lastErrorAt ?? h.lastErrorAt).map(Time.init), queueDepth: s.queueDepth,
            delivered: s.delivered, failed: s.failed, heartbeatsSent: h.sent, heartbeatsFailed: h.failed,
            lastHeartbeat: h.lastSuccessAt.map(Time.init))
    }

    /// Sets the queue-depth gauge before the registry is rendered.
    func refreshGauges() { observer.queueDepth.set(to: Double(statuses.state.queueDepth)) }
}

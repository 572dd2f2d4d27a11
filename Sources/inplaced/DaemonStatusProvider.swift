import Foundation
import Logging
import NodeAgent
import PodAPI
import Prometheus
import Reporter
import ServiceLifecycle
import StateStore

/// The status socket's view: the agent's, with the controller connection added to health and
/// the reporter's lines added to the metrics.
struct DaemonStatusProvider: PodStatusProvider {
    let agent: NodeAgent
    let controller: ControllerWiring?

    func listPods() async -> [Pod] { await agent.listPods() }
    func getPod(namespace: String, name: String) async -> Pod? { await agent.getPod(namespace: namespace, name: name) }
    func updateHistory(namespace: String, name: String) async -> [InPlaceUpdate]? {
        await agent.updateHistory(namespace: namespace, name: name)
    }
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

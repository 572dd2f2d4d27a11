import Foundation
import NodeAgent
import PodAPI
import PodFixtures

/// A provider holding pods, updates and events in memory, as the agent would report them.
actor FakeProvider: PodStatusProvider {
    var pods: [Pod]
    var updates: [String: [InPlaceUpdate]]
    var eventList: [Event]
    var healthValue: AgentHealth
    var metrics: String

    init(
        pods: [Pod] = [], updates: [String: [InPlaceUpdate]] = [:], events: [Event] = [],
        health: AgentHealth = Fixtures.health(), metrics: String = "inplaced_pods 0\n"
    ) {
        self.pods = pods
        self.updates = updates
        self.eventList = events
        self.healthValue = health
        self.metrics = metrics
    }

    func listPods() async -> [Pod] {
        pods.sorted { ($0.metadata.namespace ?? "", $0.metadata.name ?? "") < ($1.metadata.namespace ?? "", $1.metadata.name ?? "") }
    }

    func getPod(namespace: String, name: String) async -> Pod? {
        pods.first { $0.metadata.namespace == namespace && $0.metadata.name == name }
    }

    func updateHistory(namespace: String, name: String) async -> [InPlaceUpdate]? {
        guard await getPod(namespace: namespace, name: name) != nil else { return nil }
        return updates["\(namespace)/\(name)"] ?? []
    }

    func events(namespace: String?, name: String?) async -> [Event] {
        eventList.filter { e in
            (namespace == nil || e.involvedObject.namespace == namespace)
                && (name == nil || e.involvedObject.name == name)
        }
    }

    func health() async -> AgentHealth { healthValue }
    func metricsText() async -> String { metrics }

    func setHealth(_ h: AgentHealth) { healthValue = h }
    func setPods(_ p: [Pod]) { pods = p }
}

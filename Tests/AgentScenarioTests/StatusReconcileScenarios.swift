import Foundation
import NodeAgent
import PodAPI
import StateStore
import Testing

/// `NodeAgent.reconcileStatus`: the agent's status queued again when the API's copy disagrees
/// (kubelet's status manager reconciles the same way).
@Suite(.serialized) struct StatusReconcileScenarios {
    /// The pod's outbox entry decoded as a PodStatus, or nil when none is queued.
    private static func queuedStatus(_ h: Harness, uid: String) throws -> PodStatus? {
        guard let entry = try h.store.read({ try $0.outboxEntry(podUID: uid) }) else { return nil }
        return try JSONDecoder().decode(PodStatus.self, from: Data(entry.statusJSON.utf8))
    }

    @Test("a disagreeing API copy gets the agent's newest status queued; an agreeing one gets nothing")
    func disagreementQueuesTheNewestStatus() async throws {
        let h = try await Harness()
        defer { Task { await h.stop() } }
        try await h.mock.registry(add: "nginx:1.25")
        try await h.mock.registry(add: "busybox:1.36")
        try await h.apply(Manifests.web(gate: false))
        let running = try await h.waitReady("web")
        let uid = try #require(running.metadata.uid)
        let mine = Dictionary(
            (running.status?.conditions ?? []).map { ($0.type, $0.status) }, uniquingKeysWith: { a, _ in a })
        #expect(mine["Ready"] == "True")

        // The API agrees: nothing is queued.
        #expect(await h.agent.reconcileStatus(uid: uid, apiConditions: mine) == false)

        // A node lifecycle controller marked the pod not Ready while the node was silent.
        var marked = mine
        marked["Ready"] = "False"
        let before = try h.store.read { try $0.outboxEntry(podUID: uid) }?.seq ?? 0
        #expect(await h.agent.reconcileStatus(uid: uid, apiConditions: marked))
        let entry = try #require(try h.store.read { try $0.outboxEntry(podUID: uid) })
        #expect(entry.seq > before)
        let queued = try #require(try Self.queuedStatus(h, uid: uid))
        #expect(queued.phase == "Running")
        #expect(queued.condition("Ready")?.status == "True")

        // An unknown pod, or one whose status holds none of kubelet's conditions: nothing.
        #expect(await h.agent.reconcileStatus(uid: "no-such-uid", apiConditions: marked) == false)
    }
}

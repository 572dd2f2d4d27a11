import ContainerRuntime
import Foundation
import MockRuntime
import NodeAgent
import PodAPI
import Testing

/// A sandbox lost behind the agent's back.
@Suite struct SandboxScenarios {
    /// The sandbox turns not ready while its containers still run (its pause process died): the
    /// agent kills them, makes a new sandbox and starts new containers in it, all in the one sync
    /// asked for here (the relister is slowed to ten minutes). What was seen of the old containers
    /// before the kill must not be taken for the state of the pod afterwards.
    @Test func containersOfAnUnreadySandboxStartAgainInTheNewOneWithinOneSync() async throws {
        var config = Harness.fastConfig()
        config.relistPeriodSeconds = 600
        let mock = MockRuntime()
        let runtime = FlakyRuntime(mock: mock)
        let h = try await Harness(runtime: runtime, config: config)
        defer { Task { await h.stop() } }
        try await mock.registry(add: "nginx:1.25")
        try await mock.registry(add: "busybox:1.36")
        try await h.apply(Manifests.web(gate: false))
        let before = try await h.waitReady("web")
        let old = try #require(try await mock.listPodSandboxes(labelSelector: [:]).first)
        runtime.unready.value = old.id
        await h.agent.syncAll()
        let after = try await h.wait("new containers in a new sandbox") { () -> Pod? in
            let p = try await h.pod("web")
            let moved =
                p.container("app")?.containerID != before.container("app")?.containerID
                && p.container("sidecar")?.containerID != before.container("sidecar")?.containerID
            return moved && p.status?.condition("Ready")?.status == "True" ? p : nil
        }
        #expect(after.container("app")?.restartCount == 1)
        #expect(try await mock.listPodSandboxes(labelSelector: [:]).map(\.id).contains(old.id) == false)
        // Every container the status names runs in the runtime, in the new sandbox.
        for status in after.status?.containerStatuses ?? [] {
            let id = try #require(status.containerID?.split(separator: "/").last.map(String.init))
            let observed = try await mock.containerStatus(id: id)
            #expect(observed.state == .running)
        }
    }
}

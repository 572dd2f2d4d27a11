import ContainerRuntime
import Foundation
import NodeAgent
import PodAPI
import Testing

/// A pod deleted and created again under the same name gets a new uid (as every API pod does):
/// the agent tells pods apart by uid, as kubelet does, so it is a new pod, not an edit.
@Suite struct RecreatedPodScenarios {
    static func pod(uid: String) -> String {
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web, namespace: default, uid: \(uid)}
        spec:
          terminationGracePeriodSeconds: 0
          containers: [{name: app, image: "nginx:1.25"}]
        """
    }

    @Test func aNewUIDUnderTheSameNameIsANewPod() async throws {
        let h = try await Harness()
        defer { Task { await h.stop() } }
        try await h.mock.registry(add: "nginx:1.25")
        try await h.apply(Self.pod(uid: "uid-first"))
        let first = try await h.waitReady("web")
        #expect(first.metadata.uid == "uid-first")
        let firstContainer = try #require(first.status?.containerStatuses?.first?.containerID)

        try await h.apply(Self.pod(uid: "uid-second"))
        let second = try await h.wait("web under its new uid") { () -> Pod? in
            let p = try await h.pod("web")
            guard p.metadata.uid == "uid-second", p.status?.phase == "Running", p.status?.condition("Ready")?.status == "True"
            else { return nil }
            return p
        }
        let status = try #require(second.status?.containerStatuses?.first)
        #expect(status.containerID != firstContainer)
        #expect(status.restartCount == 0)
        // The first pod's sandbox and container are stopped.
        try await h.wait("the first pod stopped in the runtime") { () -> Bool? in
            let sandboxes = try await h.runtime.listPodSandboxes(labelSelector: [:])
            let containers = try await h.runtime.listContainers(filter: ContainerFilter())
            let firstLeft =
                sandboxes.contains { $0.uid == "uid-first" && $0.state == .ready }
                || containers.contains { firstContainer.hasSuffix("://" + $0.id) && $0.state == .running }
            return firstLeft ? nil : true
        }
    }

    @Test func aPodTheAPIDeletesIsStoppedWithTheDeletionGracePeriod() async throws {
        let h = try await Harness()
        defer { Task { await h.stop() } }
        try await h.mock.registry(add: "nginx:1.25")
        try await h.apply(
            Self.pod(uid: "uid-a").replacingOccurrences(of: "terminationGracePeriodSeconds: 0", with: "terminationGracePeriodSeconds: 30"))
        let running = try await h.waitReady("web")
        let id = try #require(running.status?.containerStatuses?.first?.containerID?.split(separator: "/").last.map(String.init))
        var deleting = DesiredPods(pods: [])
        deleting.deletionGracePeriods = ["default/web": 7]
        await h.agent.apply(deleting)
        let grace = try await h.wait("the container stopped") { await h.mock.stopTimeoutSeconds(containerID: id) }
        #expect(grace == 7)
    }
}

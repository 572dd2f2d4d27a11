import ContainerRuntime
import Foundation
import MockRuntime
import NodeAgent
import PodAPI
import Testing

/// What a pod looks like the moment it is admitted, before its first sync has done anything.
@Suite struct AdmissionScenarios {
    @Test func admittedPodIsVisibleAtOnceAsPendingWithItsContainersWaiting() async throws {
        let h = try await Harness()
        defer { Task { await h.stop() } }
        try await h.mock.registry(add: "nginx:1.25")
        try await h.mock.registry(add: "busybox:1.36")
        // The sandbox takes 3 s: the first sync is still under way when apply returns.
        await h.mock.setLatency(.runPodSandbox, seconds: 3)
        try await h.apply(Manifests.web())
        let pod = try await h.pod("web")
        #expect(pod.status?.phase == "Pending")
        #expect(pod.metadata.uid != nil)
        #expect(pod.status?.containerStatuses?.map(\.name) == ["app", "sidecar"])
        #expect(pod.status?.containerStatuses?.map { $0.state.waiting?.reason } == ["ContainerCreating", "ContainerCreating"])
        #expect(pod.status?.containerStatuses?.allSatisfy { !$0.ready && $0.restartCount == 0 } == true)
        #expect(pod.status?.conditions?.first { $0.type == "Ready" }?.status == "False")
        #expect(pod.status?.conditions?.first { $0.type == "PodReadyToStartContainers" }?.status == "False")
        #expect(await h.mock.calls(.createContainer).isEmpty)
        try await h.waitReady("web")
    }

    @Test func podBehindInitContainersWaitsAsPodInitializing() async throws {
        let h = try await Harness()
        defer { Task { await h.stop() } }
        try await h.mock.registry(add: "busybox:1.36")
        await h.mock.setLatency(.runPodSandbox, seconds: 2)
        try await h.apply(
            """
            apiVersion: v1
            kind: Pod
            metadata:
              name: init
            spec:
              initContainers:
              - name: setup
                image: busybox:1.36
                command: ["sh", "-c", "exit 0"]
              containers:
              - name: main
                image: busybox:1.36
            """)
        let pod = try await h.pod("init")
        #expect(pod.status?.phase == "Pending")
        #expect(pod.status?.initContainerStatuses?.first?.state.waiting?.reason == "PodInitializing")
        #expect(pod.status?.containerStatuses?.first?.state.waiting?.reason == "PodInitializing")
    }
}

import ContainerRuntime
import Foundation
import Logging
import MockRuntime
import NodeAgent
import PodAPI
import StateStore
import Testing

/// Input and faults that must never take the node down, found by breaking the daemon.
@Suite(.serialized) struct BadInputScenarios {
    func harness() async throws -> Harness {
        let h = try await Harness()
        try await h.mock.registry(add: "nginx:1.25")
        try await h.mock.registry(add: "nginx:1.26")
        try await h.mock.registry(add: "busybox:1.36")
        return h
    }

    @Test(arguments: ["1e309", "3e10", "-5", "abc", "nan"])
    func junkGraceAnnotationFallsBackToTheDefaultWithAWarning(value: String) async throws {
        let h = try await harness()
        defer { Task { await h.stop() } }
        let yaml = { (image: String) in
            Manifests.web(image: image, grace: nil).replacingOccurrences(
                of: "  labels:\n    app: web\n",
                with: "  labels:\n    app: web\n  annotations:\n    inplaced.io/inplace-update-grace-seconds: \"\(value)\"\n")
        }
        try await h.apply(yaml("nginx:1.25"))
        try await h.waitReady("web")
        try await h.apply(yaml("nginx:1.26"))
        try await h.wait("update done despite the annotation") { () -> Bool? in
            let p = try await h.pod("web")
            return p.container("app")?.restartCount == 1 && p.status?.condition("Ready")?.status == "True" ? true : nil
        }
        let events = try await h.client.events(namespace: "default", name: "web").items
        #expect(events.contains { $0.reason == "InvalidAnnotation" && $0.message.contains(value) })
    }

    @Test func duplicateUIDIsRejectedAndTheFirstPodKept() async throws {
        let h = try await harness()
        defer { Task { await h.stop() } }
        let a = Manifests.web(name: "a").replacingOccurrences(of: "  name: a\n", with: "  name: a\n  uid: same-uid\n")
        let b = Manifests.web(name: "b").replacingOccurrences(of: "  name: b\n", with: "  name: b\n  uid: same-uid\n")
        let loadA = ManifestLoader.load(data: Data(a.utf8), fileName: "a.yaml")
        let loadB = ManifestLoader.load(data: Data(b.utf8), fileName: "b.yaml")
        await h.agent.apply(
            DesiredPods(pods: [
                DesiredPods.Entry(pod: loadA.pods[0].pod, source: "a.yaml"),
                DesiredPods.Entry(pod: loadB.pods[0].pod, source: "b.yaml"),
            ]))
        try await h.waitReady("a")
        let health = try await h.client.health()
        #expect(
            health.manifestErrors.contains { $0.file == "b.yaml" && $0.message.hasPrefix("metadata.uid: Duplicate value: \"same-uid\"") })
        #expect(try await h.client.pods().items.compactMap(\.metadata.name) == ["a"])
    }

    @Test func leftoverContainerFromACrashIsRemovedOnRestart() async throws {
        let h = try await harness()
        defer { Task { await h.stop() } }
        try await h.apply(Manifests.web())
        let before = try await h.waitReady("web")
        // What a kill between CreateContainer and its record leaves: a second container of the pod.
        let sandbox = try #require(try await h.mock.listPodSandboxes(labelSelector: [:]).first)
        let uid = try #require(before.metadata.uid)
        let sb = PodSandboxConfig(name: "web", namespace: "default", uid: uid)
        let stray = try await h.mock.createContainer(
            sandboxID: sandbox.id,
            config: ContainerConfig(
                name: "app", attempt: 1, image: "nginx:1.25",
                labels: [
                    "io.kubernetes.pod.uid": uid, "io.kubernetes.container.name": "app", "io.kubernetes.pod.name": "web",
                    "io.kubernetes.pod.namespace": "default",
                ]), sandboxConfig: sb)
        try await h.mock.startContainer(id: stray)
        try await h.restartAgent()
        try await h.wait("stray removed") { () -> Bool? in
            let all = try await h.mock.listContainers(filter: ContainerFilter(labelSelector: ["io.kubernetes.container.name": "app"]))
            return all.map(\.id) == [before.container("app")!.containerID!.replacingOccurrences(of: "mock://", with: "")] ? true : nil
        }
        let after = try await h.waitReady("web")
        #expect(after.container("app")?.restartCount == 0)
        #expect(after.container("app")?.containerID == before.container("app")?.containerID)
    }

    @Test func lostStoreAdoptsWhatTheRuntimeRuns() async throws {
        let h = try await harness()
        defer { Task { await h.stop() } }
        try await h.apply(Manifests.web())
        try await h.waitReady("web")
        try await h.apply(Manifests.web(image: "nginx:1.26"))
        let before = try await h.wait("upgraded") { () -> Pod? in
            let p = try await h.pod("web")
            return p.container("app")?.restartCount == 1 && p.status?.condition("Ready")?.status == "True" ? p : nil
        }
        // A second agent with an empty store on the same runtime (the state file was lost).
        let emptyStore = try StateStore.inMemory()
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let agent = NodeAgent(config: Harness.fastConfig(), runtime: h.mock, store: emptyStore, logger: logger)
        await h.agent.shutdown()
        try await agent.start()
        defer { Task { await agent.shutdown() } }
        let result = ManifestLoader.load(data: Data(Manifests.web(image: "nginx:1.26").utf8), fileName: "pods.yaml")
        await agent.apply(DesiredPods(pods: [DesiredPods.Entry(pod: result.pods[0].pod, source: "pods.yaml")]))
        let adopted = try await h.wait("adopted") { () -> Pod? in
            let p = await agent.getPod(namespace: "default", name: "web")
            return p?.status?.condition("Ready")?.status == "True" ? p : nil
        }
        #expect(adopted.metadata.uid == before.metadata.uid)
        #expect(adopted.container("app")?.containerID == before.container("app")?.containerID)
        #expect(adopted.container("app")?.restartCount == 1)
        #expect(adopted.container("sidecar")?.containerID == before.container("sidecar")?.containerID)
        #expect(try await h.mock.listPodSandboxes(labelSelector: [:]).count == 1)
        #expect(await h.mock.calls(.runPodSandbox).count == 1)
    }
}

/// A restartable init container (a sidecar) is upgraded in place like a regular container.
@Suite(.serialized) struct SidecarScenarios {
    static func pod(_ envoy: String) -> String {
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: mesh}
        spec:
          initContainers:
          - {name: proxy, image: "\(envoy)", restartPolicy: Always}
          containers:
          - {name: app, image: "nginx:1.25"}
        """
    }

    @Test func sidecarImageChangeIsUpgradedInPlace() async throws {
        let h = try await Harness()
        defer { Task { await h.stop() } }
        for ref in ["nginx:1.25", "envoy:1.0", "envoy:2.0"] { try await h.mock.registry(add: ref) }
        try await h.apply(Self.pod("envoy:1.0"))
        let before = try await h.waitReady("mesh")
        try await h.apply(Self.pod("envoy:2.0"))
        let after = try await h.wait("sidecar upgraded") { () -> Pod? in
            let p = try await h.pod("mesh")
            let proxy = p.status?.initContainerStatuses?.first { $0.name == "proxy" }
            return proxy?.image == "envoy:2.0" && proxy?.restartCount == 1 && proxy?.state.running != nil ? p : nil
        }
        #expect(after.container("app")?.containerID == before.container("app")?.containerID)
        let u = try #require(try await h.client.updates(namespace: "default", name: "mesh").last)
        #expect(u.container == "proxy")
        #expect(u.step == .completed)
    }
}

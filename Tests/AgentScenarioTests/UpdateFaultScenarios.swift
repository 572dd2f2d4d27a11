import ContainerRuntime
import Foundation
import MockRuntime
import NodeAgent
import PodAPI
import Testing

/// Faults and overlaps around an in-place update: a second edit while the replaced container's
/// removal is still under way, both containers of a pod updated by one edit, and a new container
/// the runtime will not start. Each ends with the pod on the newest spec, in its first sandbox,
/// with one runtime container per spec container and the restart counts kubelet would show.
@Suite(.serialized) struct UpdateFaultScenarios {
    static func id(_ status: ContainerStatus?) -> String? {
        status?.containerID?.split(separator: "/").last.map(String.init)
    }

    static func ids(_ h: Harness, _ container: String) async throws -> [String] {
        try await h.mock.listContainers(filter: ContainerFilter(labelSelector: [KubeletLabels.containerName: container])).map(\.id)
            .sorted()
    }

    static func running(images: [String] = ["nginx:1.25", "nginx:1.26", "nginx:1.27", "busybox:1.36", "busybox:1.37"]) async throws
        -> (Harness, Pod)
    {
        let h = try await Harness()
        for image in images { try await h.mock.preloadImage(image) }
        try await h.apply(Manifests.web(grace: 0))
        return (h, try await h.waitReady("web"))
    }

    @Test func aSecondEditWhileTheRemovalIsPendingEndsOnTheThirdImageWithNothingLeftBehind() async throws {
        let (h, first) = try await Self.running()
        defer { Task { await h.stop() } }
        let v1 = try #require(Self.id(first.container("app")))
        let sandboxes = try await h.mock.listPodSandboxes(labelSelector: [:]).map(\.id)
        await h.mock.setLatency(.removeContainer, seconds: 1.5)
        try await h.apply(Manifests.web(image: "nginx:1.26", grace: 0))
        let second = try await h.wait("on 1.26") { () -> Pod? in
            let p = try await h.pod("web")
            return p.container("app")?.image == "nginx:1.26" && p.container("app")?.state.running != nil ? p : nil
        }
        let v2 = try #require(Self.id(second.container("app")))
        // v1's removal is still waiting in the runtime when the next edit comes.
        try await h.wait("v1's removal under way") {
            await h.mock.calls(.removeContainer).contains { $0.argument == v1 } ? true : nil
        }
        #expect(try await Self.ids(h, "app").contains(v1))
        try await h.apply(Manifests.web(image: "nginx:1.27", grace: 0))
        let third = try await h.wait("on 1.27, gate open") { () -> Pod? in
            let p = try await h.pod("web")
            return p.container("app")?.image == "nginx:1.27" && p.status?.condition("InPlaceUpdateReady")?.status == "True"
                && p.container("app")?.state.running != nil ? p : nil
        }
        let app = try #require(third.container("app"))
        let v3 = try #require(Self.id(app))
        #expect(app.restartCount == 2)
        #expect(app.lastState.terminated?.containerID?.hasSuffix(v2) == true)
        #expect(third.container("sidecar")?.restartCount == 0)
        try await h.wait("only v3 left", timeout: 15) { try await Self.ids(h, "app") == [v3] ? true : nil }
        #expect(try await h.mock.listPodSandboxes(labelSelector: [:]).map(\.id) == sandboxes)
        // Each replaced container was removed once; the running one never.
        let removals = await h.mock.calls(.removeContainer).map(\.argument)
        #expect(removals.filter { $0 == v1 }.count == 1)
        #expect(removals.filter { $0 == v2 }.count == 1)
        #expect(!removals.contains(v3))
        let events = try await h.client.events(namespace: "default", name: "web").items
        #expect(!events.contains { $0.reason == "FailedSync" }, "\(events.map(\.message))")
    }

    @Test func bothContainersUpdatedByOneEditAreEachReplacedOnceInTheSameSandbox() async throws {
        let (h, before) = try await Self.running()
        defer { Task { await h.stop() } }
        let oldApp = try #require(Self.id(before.container("app")))
        let oldSidecar = try #require(Self.id(before.container("sidecar")))
        let sandboxes = try await h.mock.listPodSandboxes(labelSelector: [:]).map(\.id)
        try await h.apply(Manifests.web(image: "nginx:1.26", sidecarImage: "busybox:1.37", grace: 0))
        let after = try await h.wait("both updated, gate open") { () -> Pod? in
            let p = try await h.pod("web")
            return p.container("app")?.image == "nginx:1.26" && p.container("sidecar")?.image == "busybox:1.37"
                && p.status?.condition("InPlaceUpdateReady")?.status == "True" && p.status?.condition("Ready")?.status == "True"
                ? p : nil
        }
        for (name, old) in [("app", oldApp), ("sidecar", oldSidecar)] {
            let c = try #require(after.container(name))
            #expect(c.restartCount == 1, "\(name)")
            #expect(c.state.running != nil, "\(name)")
            // Each one's lastState is its own predecessor's end, not the other container's.
            #expect(c.lastState.terminated?.containerID?.hasSuffix(old) == true, "\(name)")
            let new = try #require(Self.id(c))
            try await h.wait("\(name)'s predecessor removed", timeout: 10) { try await Self.ids(h, name) == [new] ? true : nil }
        }
        #expect(after.status?.podIP == before.status?.podIP)
        #expect(try await h.mock.listPodSandboxes(labelSelector: [:]).map(\.id) == sandboxes)
        let calls = await h.mock.calls()
        #expect(calls.filter { $0.method == .stopContainer }.map(\.argument).sorted() == [oldApp, oldSidecar].sorted())
        #expect(calls.filter { $0.method == .createContainer }.count == 4)
    }

    @Test func aNewContainerTheRuntimeWillNotStartIsShownAndStartedAgainAsTheSameRestart() async throws {
        let (h, before) = try await Self.running()
        defer { Task { await h.stop() } }
        let oldApp = try #require(Self.id(before.container("app")))
        await h.mock.injectFault(
            .startContainer, error: .failed(call: "StartContainer", detail: "exec format error"), times: nil, matching: nil)
        try await h.apply(Manifests.web(image: "nginx:1.26", grace: 0))
        // The refusal is shown as kubelet shows a container whose successor does not exist: the
        // last container that ran (its image and restartCount) waiting with RunContainerError,
        // its own end as lastState, and the update not done.
        let refused = try await h.wait("the failed start shown") { () -> Pod? in
            let p = try await h.pod("web")
            return p.container("app")?.state.waiting?.reason == "RunContainerError" ? p : nil
        }
        let shown = try #require(refused.container("app"))
        #expect(shown.state.waiting?.message == "exec format error")
        #expect(shown.image == "nginx:1.25")
        #expect(shown.restartCount == 0)
        #expect(shown.lastState.terminated?.containerID?.hasSuffix(oldApp) == true)
        #expect(refused.status?.condition("InPlaceUpdateReady")?.status == "False")
        #expect(refused.status?.condition("Ready")?.status == "False")
        #expect(refused.container("sidecar")?.state.running != nil)
        let events = try await h.client.events(namespace: "default", name: "web").items
        #expect(events.contains { $0.reason == "Failed" && $0.message == "Error: exec format error" }, "\(events.map(\.message))")
        // Tried again with back-off while refused; a refused container is not left behind.
        try await h.wait("a second try") { await h.mock.calls(.startContainer).count >= 4 ? true : nil }
        let stopped = try await h.mock.listContainers(filter: ContainerFilter(labelSelector: [KubeletLabels.containerName: "app"]))
        #expect(stopped.allSatisfy { $0.id == oldApp || $0.state != .created }, "\(stopped)")
        // The runtime gives in: it runs as the first restart, and the update is done.
        await h.mock.clearFaults()
        let after = try await h.waitReady("web")
        let app = try #require(after.container("app"))
        #expect(app.image == "nginx:1.26")
        #expect(app.restartCount == 1)
        #expect(app.lastState.terminated?.containerID?.hasSuffix(oldApp) == true)
        #expect(after.status?.condition("InPlaceUpdateReady")?.status == "True")
        #expect(after.container("sidecar")?.restartCount == 0)
        let new = try #require(Self.id(app))
        try await h.wait("only the running app container left", timeout: 10) { try await Self.ids(h, "app") == [new] ? true : nil }
    }
}

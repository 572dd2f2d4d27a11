import ContainerRuntime
import Foundation
import MockRuntime
import NodeAgent
import PodAPI
import Testing

/// The container an in-place update replaces is removed after the status showing its successor
/// is published: the new container's start does not wait for RemoveContainer (kubelet's does
/// not wait for its garbage collector either), and the old one does not stay behind.
@Suite(.serialized) struct ReplacedContainerScenarios {
    /// A pod `web` running nginx:1.25 with no grace; returns the harness and the app
    /// container's runtime ID.
    static func running() async throws -> (Harness, String) {
        let h = try await Harness()
        try await h.mock.preloadImage("nginx:1.25")
        try await h.mock.preloadImage("nginx:1.26")
        try await h.mock.preloadImage("busybox:1.36")
        try await h.apply(Manifests.web(grace: 0))
        let before = try await h.waitReady("web")
        let oldID = try #require(before.container("app")?.containerID?.split(separator: "/").last.map(String.init))
        return (h, oldID)
    }

    static func updated(_ h: Harness) async throws -> Pod {
        try await h.wait("update done") { () -> Pod? in
            let p = try await h.pod("web")
            return p.container("app")?.image == "nginx:1.26" && p.status?.condition("InPlaceUpdateReady")?.status == "True" ? p : nil
        }
    }

    static func appIDs(_ h: Harness) async throws -> [String] {
        try await h.mock.listContainers(filter: ContainerFilter(labelSelector: [KubeletLabels.containerName: "app"])).map(\.id)
    }

    @Test func theNewContainerRunsAndIsShownBeforeTheOldIsRemoved() async throws {
        let (h, oldID) = try await Self.running()
        defer { Task { await h.stop() } }
        // A removal that takes 3 s: a status that waited for it would come after it.
        await h.mock.setLatency(.removeContainer, seconds: 3)
        try await h.apply(Manifests.web(image: "nginx:1.26", grace: 0))
        let after = try await Self.updated(h)
        let app = try #require(after.container("app"))
        let newID = try #require(app.containerID?.split(separator: "/").last.map(String.init))
        // Shown done while the runtime still holds the old container, stopped.
        let old = try #require(try await h.mock.listContainers(filter: ContainerFilter(id: oldID)).first)
        #expect(old.state == .exited)
        #expect(app.restartCount == 1)
        #expect(app.state.running != nil)
        // Its end is the new container's lastState, read before it was removed.
        #expect(app.lastState.terminated?.containerID?.hasSuffix(oldID) == true)
        #expect(app.lastState.terminated?.exitCode != nil)
        let calls = await h.mock.calls()
        let stop = try #require(calls.firstIndex { $0.method == .stopContainer && $0.argument == oldID })
        let start = try #require(calls.firstIndex { $0.method == .startContainer && $0.argument == newID })
        #expect(stop < start)
        #expect(!calls[..<start].contains { $0.method == .removeContainer && $0.argument == oldID })
        // Then it goes, and only it.
        try await h.wait("old container removed", timeout: 10) { try await Self.appIDs(h) == [newID] ? true : nil }
        #expect(await h.mock.calls(.removeContainer).filter { $0.argument == oldID }.count == 1)
        #expect(try await h.pod("web").container("sidecar")?.restartCount == 0)
    }

    @Test func aRemovalTheRuntimeRefusesIsMadeAgainAtTheNextSync() async throws {
        let (h, oldID) = try await Self.running()
        defer { Task { await h.stop() } }
        await h.mock.injectFault(
            .removeContainer, error: .failed(call: "RemoveContainer", detail: "device or resource busy"), matching: oldID)
        try await h.apply(Manifests.web(image: "nginx:1.26", grace: 0))
        let after = try await Self.updated(h)
        let newID = try #require(after.container("app")?.containerID?.split(separator: "/").last.map(String.init))
        try await h.wait("old container removed after the refusal", timeout: 10) { try await Self.appIDs(h) == [newID] ? true : nil }
        #expect(await h.mock.calls(.removeContainer).filter { $0.argument == oldID }.count == 2)
        // The new container was not touched by the retry.
        let again = try await h.waitReady("web")
        #expect(again.container("app")?.restartCount == 1)
        #expect(again.container("app")?.containerID == after.container("app")?.containerID)
    }

    @Test func aRemovalRefusedEveryTimeNeitherFailsTheSyncNorTouchesThePod() async throws {
        let (h, oldID) = try await Self.running()
        defer { Task { await h.stop() } }
        await h.mock.injectFault(
            .removeContainer, error: .failed(call: "RemoveContainer", detail: "device or resource busy"), times: nil, matching: oldID)
        try await h.apply(Manifests.web(image: "nginx:1.26", grace: 0))
        let after = try await Self.updated(h)
        let newID = try #require(after.container("app")?.containerID?.split(separator: "/").last.map(String.init))
        // Tried again after the back-off's base (0.3 s here), a few times.
        try await h.wait("removal tried again") {
            await h.mock.calls(.removeContainer).filter { $0.argument == oldID }.count >= 3 ? true : nil
        }
        let events = try await h.client.events(namespace: "default", name: "web").items
        #expect(!events.contains { $0.reason == "FailedSync" }, "\(events.map(\.message))")
        let still = try await h.waitReady("web")
        #expect(still.container("app")?.containerID == after.container("app")?.containerID)
        #expect(still.container("app")?.restartCount == 1)
        // The runtime gives in: the container goes at the next try.
        await h.mock.clearFaults()
        try await h.wait("old container removed", timeout: 10) { try await Self.appIDs(h) == [newID] ? true : nil }
    }

    @Test func anAgentStoppedBeforeTheRemovalRemovesItWhenItStartsAgain() async throws {
        let (h, oldID) = try await Self.running()
        defer { Task { await h.stop() } }
        // The removal never finishes in this agent: it is stopped while the call waits.
        await h.mock.setLatency(.removeContainer, seconds: 30)
        try await h.apply(Manifests.web(image: "nginx:1.26", grace: 0))
        let after = try await Self.updated(h)
        let newID = try #require(after.container("app")?.containerID?.split(separator: "/").last.map(String.init))
        try await h.wait("removal under way") {
            await h.mock.calls(.removeContainer).contains { $0.argument == oldID } ? true : nil
        }
        // The new agent's removal is prompt.
        await h.mock.setLatency(.removeContainer, seconds: 0)
        try await h.restartAgent(drainSeconds: 0.2)
        try await h.apply(Manifests.web(image: "nginx:1.26", grace: 0))
        try await h.wait("old container removed by the new agent", timeout: 10) { try await Self.appIDs(h) == [newID] ? true : nil }
        let again = try await h.waitReady("web")
        #expect(again.container("app")?.restartCount == 1)
        #expect(again.container("app")?.containerID == after.container("app")?.containerID)
        #expect(again.container("app")?.lastState.terminated?.containerID?.hasSuffix(oldID) == true)
    }
}

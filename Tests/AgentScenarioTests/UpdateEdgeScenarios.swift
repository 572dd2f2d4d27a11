import ContainerRuntime
import Foundation
import MockRuntime
import NodeAgent
import PodAPI
import Testing

/// In-place updates that meet something else: the old container ending on its own, the pod's
/// deadline, a fixed image after a crash loop.
@Suite struct UpdateEdgeScenarios {
    /// The new image cannot be pulled, so the update waits at PrePulling; meanwhile the old
    /// container ends on its own. It must not be shown Running for ever: the update ends as
    /// Failed and the container restarts from the desired spec (whose pull then fails, as
    /// kubelet's restart would).
    @Test func oldContainerEndingWhileTheUpdateWaitsRestartsFromTheNewSpec() async throws {
        let h = try await Harness()
        defer { Task { await h.stop() } }
        try await h.mock.registry(add: "registry.local/app:1")
        try await h.mock.registry(add: "busybox:1.36")
        try await h.apply(Manifests.web(image: "registry.local/app:1"))
        let before = try await h.waitReady("web")
        try await h.apply(Manifests.web(image: "registry.local/app-missing:2"))
        _ = try await h.wait("update waiting for its pull") { () -> InPlaceUpdate? in
            try await h.client.updates(namespace: "default", name: "web").last.flatMap { $0.step == .prePulling ? $0 : nil }
        }
        let oldID = try #require(before.container("app")?.containerID?.replacingOccurrences(of: "mock://", with: ""))
        try await h.mock.exitContainer(id: oldID, exitCode: 0)
        let after = try await h.wait("the old container's end recorded") { () -> Pod? in
            let p = try await h.pod("web")
            guard let app = p.container("app"), app.state.running == nil, app.lastState.terminated != nil else { return nil }
            return p
        }
        #expect(after.container("app")?.lastState.terminated?.containerID == before.container("app")?.containerID)
        #expect(after.container("app")?.lastState.terminated?.exitCode == 0)
        let updates = try await h.client.updates(namespace: "default", name: "web")
        #expect(updates.last?.step == .failed)
        #expect(updates.last?.message?.contains("ended before the update stopped it") == true)
        // Nothing of the old container runs any more.
        let running = try await h.mock.listContainers(filter: ContainerFilter(labelSelector: [KubeletLabels.containerName: "app"]))
            .filter { $0.state == .running }
        #expect(running.isEmpty)
        let pulls = try await h.wait("the new image tried") { () -> Pod? in
            let p = try await h.pod("web")
            let reason = p.container("app")?.state.waiting?.reason
            return reason == "ErrImagePull" || reason == "ImagePullBackOff" ? p : nil
        }
        #expect(pulls.status?.condition("Ready")?.status == "False")
    }

    /// The pod's active deadline passes while an update waits in its grace period: the pod
    /// fails and the update is ended, not left open.
    @Test func deadlineDuringAnUpdateEndsTheUpdate() async throws {
        let h = try await Harness()
        defer { Task { await h.stop() } }
        try await h.mock.registry(add: "nginx:1.25")
        try await h.mock.registry(add: "nginx:1.26")
        try await h.mock.registry(add: "busybox:1.36")
        let manifest = { (image: String) in
            Manifests.web(image: image, grace: 60).replacingOccurrences(of: "spec:\n", with: "spec:\n  activeDeadlineSeconds: 3\n")
        }
        try await h.apply(manifest("nginx:1.25"))
        try await h.waitReady("web")
        try await h.apply(manifest("nginx:1.26"))
        _ = try await h.wait("update in its grace period") { () -> InPlaceUpdate? in
            try await h.client.updates(namespace: "default", name: "web").last.flatMap { $0.step == .grace ? $0 : nil }
        }
        let failed = try await h.wait("pod failed for its deadline") { () -> Pod? in
            let p = try await h.pod("web")
            return p.status?.phase == "Failed" ? p : nil
        }
        #expect(failed.status?.reason == "DeadlineExceeded")
        let last = try await h.wait("update ended") { () -> InPlaceUpdate? in
            try await h.client.updates(namespace: "default", name: "web").last.flatMap { $0.finishedAt != nil ? $0 : nil }
        }
        #expect(last.step == .failed)
        #expect(last.message?.contains("DeadlineExceeded") == true || last.message?.contains("deadline") == true)
    }

    /// A crash-looping container whose image is fixed starts at once: the restart back-off is
    /// kept per container spec, as kubelet keys it, so the new spec does not wait out the old
    /// one's back-off (a minute here).
    @Test func fixedImageDoesNotWaitOutTheCrashLoopBackOff() async throws {
        var config = Harness.fastConfig()
        config.backoffBaseSeconds = 60
        config.backoffMaxSeconds = 120
        let h = try await Harness(config: config)
        defer { Task { await h.stop() } }
        try await h.mock.registry(add: "registry.local/crash:1")
        try await h.mock.registry(add: "registry.local/fixed:1")
        try await h.mock.registry(add: "busybox:1.36")
        try await h.apply(Manifests.web(image: "registry.local/crash:1", gate: false))
        // Two ends: the first restart is at once and arms the back-off, the second waits it out.
        for restarts in [0, 1] {
            let p = try await h.wait("running, \(restarts) restarts") { () -> Pod? in
                let p = try await h.pod("web")
                return p.container("app")?.state.running != nil && p.container("app")?.restartCount == Int32(restarts) ? p : nil
            }
            let id = try #require(p.container("app")?.containerID?.replacingOccurrences(of: "mock://", with: ""))
            try await h.mock.exitContainer(id: id, exitCode: 1)
        }
        _ = try await h.wait("CrashLoopBackOff") { () -> Pod? in
            let p = try await h.pod("web")
            return p.container("app")?.state.waiting?.reason == "CrashLoopBackOff" ? p : nil
        }
        try await h.apply(Manifests.web(image: "registry.local/fixed:1", gate: false))
        let fixed = try await h.wait("the fixed image running", timeout: 20) { () -> Pod? in
            let p = try await h.pod("web")
            let app = p.container("app")
            return app?.image == "registry.local/fixed:1" && app?.state.running != nil ? p : nil
        }
        #expect(fixed.container("app")?.lastState.terminated != nil)
    }
}

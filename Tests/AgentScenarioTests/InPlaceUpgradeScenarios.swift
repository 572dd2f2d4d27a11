import ContainerRuntime
import Foundation
import MockRuntime
import NodeAgent
import PodAPI
import Testing

/// The in-place upgrade end to end on the mock runtime, observed through the status socket.
@Suite(.serialized) struct InPlaceUpgradeScenarios {
    @Test func newPodRuns() async throws {
        let h = try await Harness()
        defer { Task { await h.stop() } }
        try await h.mock.registry(add: "nginx:1.25")
        try await h.mock.registry(add: "busybox:1.36")
        try await h.apply(Manifests.web())
        let p = try await h.waitReady("web")
        #expect(p.status?.phase == "Running")
        let app = try #require(p.container("app"))
        #expect(app.state.running != nil)
        #expect(app.ready)
        #expect(app.started == true)
        #expect(app.restartCount == 0)
        #expect(app.image == "nginx:1.25")
        #expect(app.imageID.hasPrefix("docker.io/library/nginx@sha256:"))
        #expect(app.containerID?.hasPrefix("mock://") == true)
        #expect(p.status?.condition("InPlaceUpdateReady")?.status == "True")
        #expect(p.status?.condition("ContainersReady")?.status == "True")
        #expect(p.status?.condition("PodScheduled")?.status == "True")
        #expect(p.status?.condition("Initialized")?.status == "True")
        #expect(p.status?.podIP?.isEmpty == false)
        #expect(p.status?.startTime != nil)
        let events = try await h.client.events(namespace: "default", name: "web").items.map(\.reason)
        for reason in ["Pulling", "Pulled", "Created", "Started"] { #expect(events.contains(reason)) }
    }

    @Test func imageChangeUpgradesInPlaceWithGateSequence() async throws {
        let h = try await Harness()
        defer { Task { await h.stop() } }
        try await h.mock.registry(add: "nginx:1.25")
        try await h.mock.registry(add: "nginx:1.26")
        try await h.mock.registry(add: "busybox:1.36")
        try await h.apply(Manifests.web(grace: 0.5))
        let before = try await h.waitReady("web")
        let oldApp = try #require(before.container("app"))
        let oldSidecar = try #require(before.container("sidecar"))
        let sandboxesBefore = try await h.mock.listPodSandboxes(labelSelector: [:])

        // Watch the gate through the socket while the update runs.
        let observer = Task { () -> [String] in
            var seen: [String] = []
            let deadline = Date().addingTimeInterval(20)
            while Date() < deadline {
                if let p = try? await h.pod("web") {
                    let gate = p.status?.condition("InPlaceUpdateReady")?.status ?? "-"
                    let ready = p.status?.condition("Ready")?.status ?? "-"
                    let rc = p.container("app")?.restartCount ?? -1
                    let entry = "gate=\(gate) ready=\(ready) rc=\(rc)"
                    if seen.last != entry { seen.append(entry) }
                    if gate == "True" && rc == 1 { break }
                }
                try? await Task.sleep(nanoseconds: 10_000_000)
            }
            return seen
        }
        try await h.apply(Manifests.web(image: "nginx:1.26", grace: 0.5))
        let seen = await observer.value
        #expect(before.status?.condition("InPlaceUpdateReady")?.status == "True")
        #expect(!seen.contains { $0.hasPrefix("gate=True") && $0.hasSuffix("rc=1") && $0 != seen.last })
        #expect(seen.contains("gate=False ready=False rc=0"))
        #expect(seen.last == "gate=True ready=True rc=1")
        let firstFalse = try #require(seen.firstIndex(of: "gate=False ready=False rc=0"))
        let lastTrue = try #require(seen.lastIndex(of: "gate=True ready=True rc=1"))
        #expect(firstFalse < lastTrue)

        let after = try await h.waitReady("web", restartCount: nil)
        let app = try #require(after.container("app"))
        #expect(app.restartCount == 1)
        #expect(app.image == "nginx:1.26")
        #expect(app.imageID != oldApp.imageID)
        #expect(app.containerID != oldApp.containerID)
        #expect(app.lastState.terminated?.containerID == oldApp.containerID)
        #expect(after.container("sidecar")?.containerID == oldSidecar.containerID)
        #expect(after.container("sidecar")?.restartCount == 0)
        #expect(after.status?.podIP == before.status?.podIP)
        let sandboxesAfter = try await h.mock.listPodSandboxes(labelSelector: [:])
        #expect(sandboxesAfter.map(\.id) == sandboxesBefore.map(\.id))
        #expect(await h.mock.calls(.runPodSandbox).count == 1)

        let updates = try await h.client.updates(namespace: "default", name: "web")
        let u = try #require(updates.last)
        #expect(u.step == .completed)
        #expect(u.history.map(\.step) == [.detected, .prePulling, .gateClosed, .grace, .stopped, .started, .verified, .completed])
        #expect(u.oldImageID == oldApp.imageID)
        #expect(u.newImageID == app.imageID)

        // The pull came before the stop: the old container served until the new image was there.
        let calls = await h.mock.calls().map(\.method)
        let pull = try #require(calls.lastIndex(of: .pullImage))
        let stop = try #require(calls.firstIndex(of: .stopContainer))
        #expect(pull < stop)
        // The new container is started right after its creation: no ContainerStatus in between
        // (the agent created it in this very call), then looked at once it runs.
        let newID = try #require(app.containerID?.split(separator: "/").last.map(String.init))
        let aboutNew = await h.mock.calls().filter { $0.argument == newID }.map(\.method)
        #expect(aboutNew.prefix(2) == [.startContainer, .containerStatus])
        let events = try await h.client.events(namespace: "default", name: "web").items
        #expect(events.contains { $0.reason == "Killing" && $0.message == "Container app definition changed, will be restarted" })

        // The metrics a kubelet user looks for, through the socket's /metrics.
        let metrics = try await h.client.metrics()
        #expect(metrics.contains("kubelet_runtime_operations_total{operation_type=\"PullImage\"}"))
        #expect(metrics.contains("kubelet_runtime_operations_duration_seconds_bucket{operation_type=\"StopContainer\""))
        #expect(metrics.contains("kubelet_pod_worker_duration_seconds_count"))
        #expect(metrics.contains("kubelet_pleg_relist_duration_seconds_count"))
        #expect(metrics.contains("inplaced_inplace_updates_total{result=\"succeeded\"} 1"))
        #expect(metrics.contains("kubelet_running_pods 1"))
    }

    /// One sync carries an update with no grace from the pre-pull to the running new container
    /// on one look at the runtime: after the closed gate is published, the next pass takes the
    /// stop from what the sync saw moments before (no second ContainerStatus of the old
    /// container), and the start creates from the pre-pull's answer (no second ImageStatus, one
    /// `Pulled` event), as kubelet's one status snapshot and one EnsureImageExists per start.
    @Test func oneLookAndOneImageStatusPerUpdate() async throws {
        let (h, oldID) = try await ReplacedContainerScenarios.running()
        defer { Task { await h.stop() } }
        try await h.apply(Manifests.web(image: "nginx:1.26", grace: 0))
        let after = try await h.wait("update done") { () -> Pod? in
            let p = try await h.pod("web")
            return p.container("app")?.image == "nginx:1.26" && p.status?.condition("InPlaceUpdateReady")?.status == "True" ? p : nil
        }
        #expect(after.container("app")?.restartCount == 1)
        let calls = await h.mock.calls()
        let stop = try #require(calls.firstIndex { $0.method == .stopContainer && $0.argument == oldID })
        let newImage = calls.indices.filter { calls[$0].method == .imageStatus && calls[$0].argument == "nginx:1.26" }
        #expect(newImage.count == 1)
        #expect(newImage.allSatisfy { $0 < stop })
        let prePull = try #require(newImage.first)
        // Between the pre-pull and the stop: no look at the old container again.
        let looks = calls[prePull..<stop].filter { $0.method == .containerStatus && $0.argument == oldID }
        #expect(looks.isEmpty)
        let pulled = try await h.client.events(namespace: "default", name: "web").items.filter {
            $0.reason == "Pulled" && $0.message.contains("nginx:1.26")
        }
        #expect(pulled.count == 1)
        // The steps written together are each in the history.
        let u = try #require(try await h.client.updates(namespace: "default", name: "web").last)
        #expect(u.history.map(\.step) == [.detected, .prePulling, .gateClosed, .grace, .stopped, .started, .verified, .completed])

        // What the last pass wrote with its status (the update completed, the gate opened) is in
        // the store: a restarted agent shows the gate open and stops nothing.
        let stopsBefore = await h.mock.calls(.stopContainer).count
        try await h.restartAgent()
        try await h.apply(Manifests.web(image: "nginx:1.26", grace: 0))
        try await Task.sleep(nanoseconds: 300_000_000)
        let again = try await h.waitReady("web")
        #expect(again.container("app")?.restartCount == 1)
        #expect(again.status?.condition("InPlaceUpdateReady")?.status == "True")
        #expect(again.container("app")?.containerID == after.container("app")?.containerID)
        #expect(await h.mock.calls(.stopContainer).count == stopsBefore)
        #expect(try await h.client.updates(namespace: "default", name: "web").count == 1)
    }

    /// The pre-pull's ImageStatus is asked in the sync's look, side by side with the sandbox's
    /// and containers' status, not after them: with PodSandboxStatus taking 1.5 s, the new image
    /// is asked about while that call is still out (before, only after it answered), and still
    /// once per update.
    @Test func newImageIsLookedAtWithTheSandbox() async throws {
        let (h, _) = try await ReplacedContainerScenarios.running()
        defer { Task { await h.stop() } }
        let latency = 1.5
        await h.mock.setLatency(.podSandboxStatus, seconds: latency)
        try await h.apply(Manifests.web(image: "nginx:1.26", grace: 0))
        let after = try await ReplacedContainerScenarios.updated(h)
        #expect(after.container("app")?.restartCount == 1)
        let calls = await h.mock.calls()
        let asked = calls.indices.filter { calls[$0].method == .imageStatus && calls[$0].argument == "nginx:1.26" }
        #expect(asked.count == 1)
        let first = try #require(asked.first)
        let look = try #require(calls[..<first].lastIndex { $0.method == .podSandboxStatus })
        #expect(calls[first].at - calls[look].at < Int64(latency * 1e9), "ImageStatus waited for the look's PodSandboxStatus")
    }

    /// The old container's end (its ContainerStatus after StopContainer) is read while the new
    /// container is created, not before: with ContainerStatus taking 1 s, CreateContainer is
    /// called while that read is still out (before, only after it answered); the new
    /// container's lastState is still the old one's end.
    @Test func oldContainersEndIsReadBesideTheCreate() async throws {
        let (h, oldID) = try await ReplacedContainerScenarios.running()
        defer { Task { await h.stop() } }
        let latency = 1.0
        await h.mock.setLatency(.containerStatus, seconds: latency)
        try await h.apply(Manifests.web(image: "nginx:1.26", grace: 0))
        let after = try await ReplacedContainerScenarios.updated(h)
        let app = try #require(after.container("app"))
        #expect(app.restartCount == 1)
        #expect(app.lastState.terminated?.containerID?.hasSuffix(oldID) == true)
        #expect(app.lastState.terminated?.finishedAt != nil)
        let calls = await h.mock.calls()
        let stop = try #require(calls.firstIndex { $0.method == .stopContainer && $0.argument == oldID })
        let read = try #require(calls[stop...].firstIndex { $0.method == .containerStatus && $0.argument == oldID })
        let create = try #require(calls[stop...].firstIndex { $0.method == .createContainer })
        #expect(calls[create].at - calls[read].at < Int64(latency * 1e9), "CreateContainer waited for the old container's status")
    }

    /// A look whose ImageStatus fails is no failure of the update: the pre-pull asks again itself
    /// and the update goes on, with no `Failed` event.
    @Test func aFailedImageLookIsAskedAgainByThePrePull() async throws {
        let (h, _) = try await ReplacedContainerScenarios.running()
        defer { Task { await h.stop() } }
        await h.mock.injectFault(
            .imageStatus, error: .unavailable(call: "ImageStatus", detail: "injected"), times: 1, matching: "nginx:1.26")
        try await h.apply(Manifests.web(image: "nginx:1.26", grace: 0))
        let after = try await ReplacedContainerScenarios.updated(h)
        #expect(after.container("app")?.restartCount == 1)
        #expect(await h.mock.calls(.imageStatus).filter { $0.argument == "nginx:1.26" }.count == 2)
        let events = try await h.client.events(namespace: "default", name: "web").items
        #expect(!events.contains { $0.reason == "Failed" || $0.reason == "FailedSync" })
    }

    @Test func tagBumpToSameDigestCompletes() async throws {
        let h = try await Harness()
        defer { Task { await h.stop() } }
        let digest = "sha256:" + String(repeating: "ab", count: 32)
        try await h.mock.registry(add: "registry.local/app:v36", digest: digest)
        try await h.mock.registry(add: "registry.local/app:v37", digest: digest)
        try await h.mock.registry(add: "busybox:1.36")
        try await h.apply(Manifests.web(image: "registry.local/app:v36", grace: 0))
        let before = try await h.waitReady("web")
        try await h.apply(Manifests.web(image: "registry.local/app:v37", grace: 0))
        let after = try await h.waitReady("web", restartCount: nil)
        let p = try await h.wait("update done") { () -> Pod? in
            let p = try await h.pod("web")
            return p.container("app")?.restartCount == 1 && p.status?.condition("InPlaceUpdateReady")?.status == "True" ? p : nil
        }
        _ = after
        let app = try #require(p.container("app"))
        #expect(app.image == "registry.local/app:v37")  // the spec's image, not the runtime's first tag (B5, B7)
        #expect(app.imageID == before.container("app")?.imageID)
        let u = try #require(try await h.client.updates(namespace: "default", name: "web").last)
        #expect(u.step == .completed)
        #expect(u.message?.contains("same imageID") == true)
    }

    @Test func failedPullKeepsOldContainerRunningAndReady() async throws {
        let h = try await Harness()
        defer { Task { await h.stop() } }
        try await h.mock.registry(add: "nginx:1.25")
        try await h.mock.registry(add: "busybox:1.36")
        try await h.apply(Manifests.web())
        let before = try await h.waitReady("web")
        try await h.apply(Manifests.web(image: "nginx:9.99-missing"))
        try await h.wait("pull failures") { () -> Bool? in
            let u = try await h.client.updates(namespace: "default", name: "web").last
            return (u?.step == .prePulling && u?.message?.contains("not found") == true) ? true : nil
        }
        // A few retries later the old container still serves and the pod stays Ready.
        try await Task.sleep(nanoseconds: 700_000_000)
        let p = try await h.pod("web")
        #expect(p.status?.condition("Ready")?.status == "True")
        #expect(p.status?.condition("InPlaceUpdateReady")?.status == "True")
        #expect(p.container("app")?.containerID == before.container("app")?.containerID)
        #expect(p.container("app")?.restartCount == 0)
        #expect(p.container("app")?.state.running != nil)
        #expect(await h.mock.calls(.stopContainer).isEmpty)
        #expect(await h.mock.calls(.pullImage).filter { $0.argument.contains("9.99-missing") }.count >= 2)
        let events = try await h.client.events(namespace: "default", name: "web").items
        #expect(events.contains { $0.reason == "Failed" && $0.message.hasPrefix("Failed to pull image \"nginx:9.99-missing\"") })

        // Once the image exists the retry completes the update.
        try await h.mock.registry(add: "nginx:9.99-missing")
        let done = try await h.wait("update after fix") { () -> Pod? in
            let p = try await h.pod("web")
            return p.container("app")?.restartCount == 1 && p.status?.condition("Ready")?.status == "True" ? p : nil
        }
        #expect(done.container("app")?.image == "nginx:9.99-missing")
    }

    @Test func tagsSharingADigestReportTheirOwnSpecImage() async throws {
        // B7: the runtime reports its first repo tag; status must show each pod's own image.
        let h = try await Harness()
        defer { Task { await h.stop() } }
        let digest = "sha256:" + String(repeating: "cd", count: 32)
        try await h.mock.registry(add: "test:staging", digest: digest)
        try await h.mock.registry(add: "test:production", digest: digest)
        try await h.mock.registry(add: "busybox:1.36")
        try await h.apply(
            Manifests.web(image: "test:staging", gate: false, name: "a") + "\n---\n"
                + Manifests.web(image: "test:production", gate: false, name: "b"))
        let a = try await h.waitReady("a")
        let b = try await h.waitReady("b")
        #expect(a.container("app")?.image == "test:staging")
        #expect(b.container("app")?.image == "test:production")
        #expect(a.container("app")?.imageID == b.container("app")?.imageID)
    }
}

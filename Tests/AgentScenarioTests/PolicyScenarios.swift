import ContainerRuntime
import Foundation
import MockRuntime
import NodeAgent
import PodAPI
import Testing

/// Changes that are not in-place-able, under each pod update policy.
@Suite(.serialized) struct PolicyScenarios {
    func harness() async throws -> Harness {
        let h = try await Harness()
        try await h.mock.registry(add: "nginx:1.25")
        try await h.mock.registry(add: "busybox:1.36")
        return h
    }

    @Test func inPlaceIfPossibleRecreatesThePodForOtherChanges() async throws {
        let h = try await harness()
        defer { Task { await h.stop() } }
        try await h.apply(Manifests.web(policy: "InPlaceIfPossible"))
        let before = try await h.waitReady("web")
        let sandboxesBefore = try await h.mock.listPodSandboxes(labelSelector: [:]).map(\.id)
        try await h.apply(Manifests.web(policy: "InPlaceIfPossible", extra: "    workingDir: /srv"))
        let after = try await h.wait("recreated") { () -> Pod? in
            let p = try await h.pod("web")
            let new =
                p.container("app")?.containerID != before.container("app")?.containerID
                && p.container("sidecar")?.containerID != before.container("sidecar")?.containerID
            return new && p.status?.condition("Ready")?.status == "True" ? p : nil
        }
        let sandboxesAfter = try await h.mock.listPodSandboxes(labelSelector: [:]).map(\.id)
        #expect(Set(sandboxesAfter).isDisjoint(with: sandboxesBefore))
        #expect(after.container("app")?.restartCount == 0)
        #expect(after.metadata.uid == before.metadata.uid)
        let events = try await h.client.events(namespace: "default", name: "web").items.map(\.reason)
        #expect(events.contains("SandboxChanged"))
    }

    @Test func inPlaceOnlyRejectsOtherChangesAndKeepsThePod() async throws {
        let h = try await harness()
        defer { Task { await h.stop() } }
        try await h.apply(Manifests.web(policy: "InPlaceOnly"))
        let before = try await h.waitReady("web")
        try await h.apply(Manifests.web(policy: "InPlaceOnly", extra: "    workingDir: /srv"))
        let health = try await h.wait("rejection reported") { () -> AgentHealth? in
            let hl = try await h.client.health()
            return hl.manifestErrors.isEmpty ? nil : hl
        }
        let message = try #require(health.manifestErrors.first?.message)
        #expect(message.contains("InPlaceOnly"))
        #expect(message.contains("pod updates may not change fields other than"))
        try await Task.sleep(nanoseconds: 300_000_000)
        let p = try await h.pod("web")
        #expect(p.container("app")?.containerID == before.container("app")?.containerID)
        #expect(p.status?.condition("Ready")?.status == "True")
        #expect(await h.mock.calls(.stopContainer).isEmpty)
        let events = try await h.client.events(namespace: "default", name: "web").items
        #expect(events.contains { $0.type == "Warning" && $0.reason == "FailedUpdatePodInPlace" })

        // An image change is still done in place under InPlaceOnly.
        try await h.mock.registry(add: "nginx:1.26")
        try await h.apply(Manifests.web(image: "nginx:1.26", policy: "InPlaceOnly"))
        try await h.wait("in-place under InPlaceOnly") { () -> Bool? in
            let p = try await h.pod("web")
            return p.container("app")?.restartCount == 1 && p.container("app")?.image == "nginx:1.26" ? true : nil
        }
    }

    @Test func deletedPodIsStoppedAndRemoved() async throws {
        let h = try await harness()
        defer { Task { await h.stop() } }
        try await h.apply(Manifests.web())
        try await h.waitReady("web")
        await h.applyNothing()
        try await h.wait("pod gone") { () -> Bool? in
            let pods = try await h.client.pods().items
            return pods.isEmpty ? true : nil
        }
        try await h.wait("sandbox removed") { () -> Bool? in
            let sbs = try await h.mock.listPodSandboxes(labelSelector: [:])
            let cs = try await h.mock.listContainers(filter: ContainerFilter())
            return sbs.isEmpty && cs.isEmpty ? true : nil
        }
    }

    /// kubelet kills a pod's containers in parallel, so terminationGracePeriodSeconds bounds the
    /// pod, not each container in turn. Each StopContainer takes 2 s here: one after the other,
    /// the second could only arrive 2 s after the first.
    @Test func podContainersAreStoppedTogether() async throws {
        let h = try await harness()
        defer { Task { await h.stop() } }
        try await h.apply(Manifests.web())
        try await h.waitReady("web")
        await h.mock.setLatency(.stopContainer, seconds: 2)
        await h.applyNothing()
        let stops = try await h.wait("both StopContainer calls") { () -> [MockCall]? in
            let calls = await h.mock.calls(.stopContainer)
            return calls.count >= 2 ? calls : nil
        }
        #expect(
            stops[1].at - stops[0].at < 2_000_000_000,
            "the second StopContainer came \(Double(stops[1].at - stops[0].at) / 1e9) s after the first: not stopped together")
        #expect(Set(stops.map(\.argument)).count == 2, "one stop per container")
        try await h.wait("pod gone") { () -> Bool? in
            try await h.client.pods().items.isEmpty ? true : nil
        }
    }

    @Test func activeDeadlineFailsThePod() async throws {
        let h = try await harness()
        defer { Task { await h.stop() } }
        let yaml = """
            apiVersion: v1
            kind: Pod
            metadata: {name: short}
            spec:
              activeDeadlineSeconds: 1
              containers:
              - {name: app, image: "nginx:1.25"}
            """
        try await h.apply(yaml)
        let p = try await h.wait("deadline") { () -> Pod? in
            let p = try await h.pod("short")
            return p.status?.phase == "Failed" ? p : nil
        }
        #expect(p.status?.reason == "DeadlineExceeded")
        #expect(p.status?.message == "Pod was active on the node longer than the specified deadline")
        try await h.wait("container stopped") { () -> Bool? in
            let p = try await h.pod("short")
            return p.container("app")?.state.terminated != nil ? true : nil
        }
    }
}

/// A pod failed by its deadline starts over when its manifest changes.
@Suite(.serialized) struct RevivalScenarios {
    @Test func editedManifestRevivesAFailedPod() async throws {
        let h = try await Harness()
        defer { Task { await h.stop() } }
        try await h.mock.registry(add: "nginx:1.25")
        let manifest = { (deadline: String, env: String) in
            """
            apiVersion: v1
            kind: Pod
            metadata: {name: job}
            spec:
              \(deadline)
              containers:
              - name: app
                image: "nginx:1.25"
                env: [{name: MODE, value: "\(env)"}]
            """
        }
        try await h.apply(manifest("activeDeadlineSeconds: 1", "a"))
        try await h.wait("failed by deadline") { () -> Bool? in try await h.pod("job").status?.phase == "Failed" ? true : nil }
        try await h.apply(manifest("", "b"))
        let p = try await h.wait("running again") { () -> Pod? in
            let p = try await h.pod("job")
            return p.status?.phase == "Running" && p.status?.condition("Ready")?.status == "True" ? p : nil
        }
        #expect(p.status?.reason == nil)
        #expect(p.container("app")?.restartCount == 0)
    }
}

import ContainerRuntime
import Foundation
import NodeAgent
import PodAPI
import Testing

/// The in-place upgrade scenarios, run on the mock and on real containerd alike (containerd when
/// `INPLACED_CRI_ENDPOINT` is set), so the mock is held to what the real runtime does. One at a
/// time: the containerd pods share the node's network.
@Suite(.serialized) struct RuntimeParityScenarios {
    typealias Images = RuntimeUnderTest.Images

    /// A host-network pod: `app` (and a `sidecar`) run a shell that sleeps until SIGTERM.
    static func pod(
        name: String, image: String = Images.v1, command: String? = nil, gate: Bool = true,
        restartPolicy: String = "Always", readiness: Bool = false
    ) -> String {
        let loop = #"trap 'exit 0' TERM; while :; do sleep 1 & wait $!; done"#
        let probe = readiness ? "\n    readinessProbe:\n      exec: {command: [cat, /etc/image-version]}\n      periodSeconds: 1" : ""
        return """
            apiVersion: v1
            kind: Pod
            metadata:
              name: \(name)
              annotations: {inplaced.io/inplace-update-grace-seconds: "0.2"}
            spec:
              hostNetwork: true
              restartPolicy: \(restartPolicy)
              terminationGracePeriodSeconds: 5
            \(gate ? "  readinessGates:\n  - conditionType: InPlaceUpdateReady" : "")
              containers:
              - name: app
                image: \(image)
                command: [sh, -c, "\(command ?? loop)"]\(probe)
              - name: sidecar
                image: \(Images.v1)
                command: [sh, -c, "\(loop)"]
            """
    }

    static func id(_ p: Pod, _ container: String) -> String? {
        p.container(container)?.containerID.flatMap { $0.split(separator: "/").last.map(String.init) }
    }

    /// Runs `body` with an agent on `kind`; afterwards deletes every pod and checks the runtime
    /// holds nothing of them (no sandbox, no container, and on containerd no shim left).
    static func withAgent(
        _ kind: RuntimeUnderTest, config: AgentConfiguration = Harness.fastConfig(), hooks: AgentHooks = .none,
        _ body: (Harness) async throws -> Void
    ) async throws {
        let (runtime, stopRuntime) = try await kind.start()
        let h = try await Harness(runtime: runtime, config: config, hooks: hooks)
        var failure: Error?
        do { try await body(h) } catch { failure = error }
        // The agent's sandboxes (other suites may use the same containerd at the same time).
        let ours = Set((try? await runtime.listPodSandboxes(labelSelector: [RuntimeConfigs.managedLabel: "true"]))?.map(\.id) ?? [])
        await h.applyNothing()
        do {
            try await h.wait("every sandbox removed", timeout: 30) { () -> Bool? in
                let left = try await runtime.listPodSandboxes(labelSelector: [RuntimeConfigs.managedLabel: "true"])
                return left.isEmpty ? true : nil
            }
            let containers = try await runtime.listContainers(filter: ContainerFilter()).filter { $0.labels[KubeletLabels.podUID] != nil }
            #expect(containers.isEmpty, "containers left: \(containers.map(\.name))")
            if kind == .containerd, let endpoint = RuntimeUnderTest.criEndpoint {
                try await h.wait("every shim of the agent's pods gone", timeout: 15) {
                    ShimProcesses.of(endpoint: endpoint, sandboxes: ours).isEmpty ? true : nil
                }
            }
        } catch { if failure == nil { failure = error } }
        await h.stop()
        await stopRuntime()
        if let failure { throw failure }
    }

    @Test(arguments: RuntimeUnderTest.available)
    func podStarts(_ kind: RuntimeUnderTest) async throws {
        try await Self.withAgent(kind) { h in
            try await h.apply(Self.pod(name: "start"))
            let p = try await h.waitReady("start", restartCount: 0)
            let version = try await h.runtime.version()
            let app = try #require(p.container("app"))
            #expect(app.containerID?.hasPrefix("\(version.runtimeName)://") == true)
            #expect(app.image == Images.v1)
            #expect(!(app.imageID.isEmpty))
            #expect(app.ready && app.started == true)
            #expect(p.status?.condition("InPlaceUpdateReady")?.status == "True")
            let out = try await h.runtime.execSync(
                id: try #require(Self.id(p, "app")), command: ["cat", "/etc/image-version"], timeoutSeconds: 5)
            #expect(out.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "v1")
            let sandboxes = try await h.runtime.listPodSandboxes(labelSelector: [KubeletLabels.podName: "start"])
            #expect(sandboxes.count == 1)
            #expect(sandboxes.first?.labels[KubeletLabels.podNamespace] == "default")
            // The mock sends container events; containerd 1.6 has no GetContainerEvents.
            #expect(await h.agent.health().pleg == (kind == .mock ? "evented" : "generic"))
        }
    }

    @Test(arguments: RuntimeUnderTest.available)
    func imageChangeUpgradesInPlace(_ kind: RuntimeUnderTest) async throws {
        try await Self.withAgent(kind) { h in
            try await h.apply(Self.pod(name: "upg"))
            let before = try await h.waitReady("upg", restartCount: 0)
            let sandboxBefore = try await h.runtime.listPodSandboxes(labelSelector: [KubeletLabels.podName: "upg"]).map(\.id)
            try await h.apply(Self.pod(name: "upg", image: Images.v2))
            let after = try await h.wait("upgraded") { () -> Pod? in
                let p = try await h.pod("upg")
                guard p.container("app")?.restartCount == 1, p.container("app")?.image == Images.v2,
                    p.status?.condition("Ready")?.status == "True",
                    p.status?.condition("InPlaceUpdateReady")?.status == "True"
                else { return nil }
                return p
            }
            let app = try #require(after.container("app"))
            #expect(app.imageID != before.container("app")?.imageID)
            #expect(Self.id(after, "app") != Self.id(before, "app"))
            #expect(Self.id(after, "sidecar") == Self.id(before, "sidecar"))
            #expect(after.container("sidecar")?.restartCount == 0)
            #expect(after.status?.podIP == before.status?.podIP)
            #expect(app.lastState.terminated != nil)
            let sandboxAfter = try await h.runtime.listPodSandboxes(labelSelector: [KubeletLabels.podName: "upg"]).map(\.id)
            #expect(sandboxAfter == sandboxBefore)
            let out = try await h.runtime.execSync(
                id: try #require(Self.id(after, "app")), command: ["cat", "/etc/image-version"], timeoutSeconds: 5)
            #expect(out.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "v2")
            let update = try await h.client.updates(namespace: "default", name: "upg").last
            #expect(update?.step == .completed)
        }
    }

    @Test(arguments: RuntimeUnderTest.available)
    func tagBumpToTheSameDigestCompletes(_ kind: RuntimeUnderTest) async throws {
        try await Self.withAgent(kind) { h in
            try await h.apply(Self.pod(name: "alias"))
            let before = try await h.waitReady("alias", restartCount: 0)
            try await h.apply(Self.pod(name: "alias", image: Images.v1Alias))
            let after = try await h.wait("tag bump done") { () -> Pod? in
                let p = try await h.pod("alias")
                let u = try await h.client.updates(namespace: "default", name: "alias").last
                return u?.step == .completed && p.status?.condition("Ready")?.status == "True" ? p : nil
            }
            let app = try #require(after.container("app"))
            #expect(app.restartCount == 1)
            // The spec's tag, not the runtime's first tag of the image (B7); the same image (B4, B5).
            #expect(app.image == Images.v1Alias)
            #expect(app.imageID == before.container("app")?.imageID)
            #expect(after.status?.condition("InPlaceUpdateReady")?.status == "True")
        }
    }

    @Test(arguments: RuntimeUnderTest.available)
    func missingImageKeepsTheOldContainerRunningAndReady(_ kind: RuntimeUnderTest) async throws {
        try await Self.withAgent(kind) { h in
            try await h.apply(Self.pod(name: "miss"))
            let before = try await h.waitReady("miss", restartCount: 0)
            try await h.apply(Self.pod(name: "miss", image: Images.missing))
            try await h.wait("pull failed", timeout: 60) { () -> Bool? in
                let events = try await h.client.events(namespace: "default", name: "miss").items
                return events.contains { $0.reason == "Failed" && $0.message.contains(Images.missing) } ? true : nil
            }
            let p = try await h.pod("miss")
            #expect(Self.id(p, "app") == Self.id(before, "app"))
            #expect(p.container("app")?.state.running != nil)
            #expect(p.container("app")?.restartCount == 0)
            #expect(p.status?.condition("Ready")?.status == "True")
            let out = try await h.runtime.execSync(
                id: try #require(Self.id(p, "app")), command: ["cat", "/etc/image-version"], timeoutSeconds: 5)
            #expect(out.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "v1")
        }
    }

    @Test(arguments: RuntimeUnderTest.available)
    func exitedContainerIsRestartedWithBackOff(_ kind: RuntimeUnderTest) async throws {
        // A back-off longer than the container lives, so the second restart waits it out.
        var config = Harness.fastConfig()
        config.backoffBaseSeconds = 1
        config.backoffMaxSeconds = 4
        try await Self.withAgent(kind, config: config) { h in
            try await h.apply(Self.pod(name: "crash", command: "sleep 0.1; exit 3", gate: false))
            var sawBackOff = false
            let p = try await h.wait("restarted twice", timeout: 60) { () -> Pod? in
                let p = try await h.pod("crash")
                if p.container("app")?.state.waiting?.reason == "CrashLoopBackOff" { sawBackOff = true }
                return (p.container("app")?.restartCount ?? 0) >= 2 ? p : nil
            }
            let app = try #require(p.container("app"))
            #expect(app.lastState.terminated?.exitCode == 3)
            #expect(app.lastState.terminated?.reason == "Error")
            let events = try await h.client.events(namespace: "default", name: "crash").items
            #expect(sawBackOff)
            #expect(events.contains { $0.reason == "BackOff" && $0.type == "Warning" })
            #expect(p.container("sidecar")?.restartCount == 0)
        }
    }

    @Test(arguments: RuntimeUnderTest.available, [CrashPoint.afterAct(.stopped), .intentWritten, .createdWritten])
    func agentKilledMidUpdateFinishesWithOneRestart(_ kind: RuntimeUnderTest, at point: CrashPoint) async throws {
        let frozen = FreezeSwitch(at: point, armed: false)
        try await Self.withAgent(
            kind,
            hooks: AgentHooks { _, container, p in
                if container == "app" { try await frozen.hit(p) }
            }
        ) { h in
            try await h.apply(Self.pod(name: "kill"))
            let before = try await h.waitReady("kill", restartCount: 0)
            await frozen.arm()
            try await h.apply(Self.pod(name: "kill", image: Images.v2))
            try await h.wait("agent frozen at \(point)") { await frozen.isFrozen ? true : nil }
            try await h.restartAgent()
            try await h.apply(Self.pod(name: "kill", image: Images.v2))
            let done = try await h.wait("update finished", timeout: 60) { () -> Pod? in
                let p = try await h.pod("kill")
                let u = try await h.client.updates(namespace: "default", name: "kill").last
                return u?.step == .completed && p.status?.condition("Ready")?.status == "True" ? p : nil
            }
            #expect(done.container("app")?.restartCount == 1)
            #expect(Self.id(done, "sidecar") == Self.id(before, "sidecar"))
            let apps = try await h.runtime.listContainers(
                filter: ContainerFilter(labelSelector: [
                    KubeletLabels.podName: "kill", KubeletLabels.containerName: "app",
                ]))
            #expect(apps.filter { $0.state == .running }.count == 1)
            #expect(apps.filter { $0.state == .running }.first?.attempt == 1)
            #expect(done.container("app")?.state.running != nil)
            #expect(done.container("app")?.imageID.isEmpty == false)
            #expect(done.container("app")?.imageID != before.container("app")?.imageID)
        }
    }

    @Test(arguments: RuntimeUnderTest.available)
    func lostStoreAdoptsThePodByItsLabels(_ kind: RuntimeUnderTest) async throws {
        try await Self.withAgent(kind) { h in
            try await h.apply(Self.pod(name: "adopt"))
            _ = try await h.waitReady("adopt", restartCount: 0)
            try await h.apply(Self.pod(name: "adopt", image: Images.v2))
            let before = try await h.wait("upgraded") { () -> Pod? in
                let p = try await h.pod("adopt")
                return p.container("app")?.restartCount == 1 && p.status?.condition("Ready")?.status == "True" ? p : nil
            }
            try await h.restartAgentWithLostStore()
            try await h.apply(Self.pod(name: "adopt", image: Images.v2))
            let after = try await h.waitReady("adopt")
            #expect(after.metadata.uid == before.metadata.uid)
            #expect(Self.id(after, "app") == Self.id(before, "app"))
            #expect(Self.id(after, "sidecar") == Self.id(before, "sidecar"))
            #expect(after.container("app")?.restartCount == 1)
            #expect(after.container("app")?.imageID == before.container("app")?.imageID)
        }
    }

    /// B13: the runtime lost the pod (sandbox and containers gone) and the store is gone too;
    /// the log files remain, so restartCount goes on from the highest `<N>.log`.
    @Test(arguments: RuntimeUnderTest.available)
    func restartCountSurvivesALostRuntimeThroughTheLogFiles(_ kind: RuntimeUnderTest) async throws {
        let uid = "b13b13b1-0000-4000-8000-" + UUID().uuidString.suffix(12).lowercased()
        let manifest = { (image: String) in
            Self.pod(name: "logs", image: image).replacingOccurrences(of: "  name: logs\n", with: "  name: logs\n  uid: \(uid)\n")
        }
        try await Self.withAgent(kind) { h in
            try await h.apply(manifest(Images.v1))
            _ = try await h.waitReady("logs", restartCount: 0)
            try await h.apply(manifest(Images.v2))
            try await h.wait("upgraded") { () -> Bool? in
                let p = try await h.pod("logs")
                return p.container("app")?.restartCount == 1 && p.status?.condition("Ready")?.status == "True" ? true : nil
            }
            let logDir = "\(h.config.podLogRoot)/default_logs_\(uid)"
            #expect(FileManager.default.fileExists(atPath: "\(logDir)/app/1.log"))
            // The agent loses its store and, while it is down, the runtime loses the pod.
            try await h.restartAgentWithLostStore {
                for sb in try await h.runtime.listPodSandboxes(labelSelector: [KubeletLabels.podUID: uid]) {
                    try await h.runtime.stopPodSandbox(id: sb.id)
                    try await h.runtime.removePodSandbox(id: sb.id)
                }
            }
            try await h.apply(manifest(Images.v2))
            let p = try await h.waitReady("logs")
            #expect(p.container("app")?.restartCount == 2)
            #expect(p.container("sidecar")?.restartCount == 1)
            let apps = try await h.runtime.listContainers(
                filter: ContainerFilter(labelSelector: [KubeletLabels.podUID: uid, KubeletLabels.containerName: "app"]))
            #expect(apps.map(\.attempt) == [2])
            #expect(FileManager.default.fileExists(atPath: "\(logDir)/app/2.log"))
        }
    }

    /// An exec readiness probe (CRI ExecSync) gates Ready and the InPlaceUpdateReady gate; on
    /// containerd an httpGet liveness probe hits the app's real HTTP server too.
    @Test(arguments: RuntimeUnderTest.available)
    func probesGateReadinessAndTheInPlaceGate(_ kind: RuntimeUnderTest) async throws {
        try await Self.withAgent(kind) { h in
            var manifest = Self.pod(name: "probed", readiness: true)
            if kind == .containerd {
                // The image's httpd on its own port (host network), probed for liveness.
                manifest = manifest.replacingOccurrences(
                    of: "      periodSeconds: 1\n",
                    with: "      periodSeconds: 1\n"
                        + "    env: [{name: HTTP_PORT, value: \"18093\"}]\n"
                        + "    livenessProbe:\n      httpGet: {host: 127.0.0.1, port: 18093, path: /healthz}\n      periodSeconds: 1\n")
            }
            try await h.apply(manifest)
            let ready = try await h.waitReady("probed", restartCount: 0)
            #expect(ready.container("app")?.ready == true)
            #expect(ready.container("app")?.started == true)
            try await h.apply(
                manifest.replacingOccurrences(of: "image: \(Images.v1)\n    command", with: "image: \(Images.v2)\n    command"))
            let done = try await h.wait("upgraded", timeout: 30) { () -> Pod? in
                let p = try await h.pod("probed")
                let u = try await h.client.updates(namespace: "default", name: "probed").last
                return u?.step == .completed && p.container("app")?.image == Images.v2
                    && p.status?.condition("Ready")?.status == "True" ? p : nil
            }
            #expect(done.container("app")?.restartCount == 1)
            #expect(done.container("app")?.ready == true)
            #expect(done.status?.condition("InPlaceUpdateReady")?.status == "True")
            let events = try await h.client.events(namespace: "default", name: "probed").items
            #expect(!events.contains { $0.reason == "Killing" && $0.message.contains("liveness") })
        }
    }

    /// Mock only, with containerd 1.6's own answer: on containerd without CNI the refused sandbox
    /// stays behind as SANDBOX_UNKNOWN and cannot be removed through CRI until CNI works, which
    /// would leave the shared test containerd unclean (seen by hand, see the issue notes).
    @Test func podNetworkWithoutCNIIsAClearPendingStatus() async throws {
        try await Self.withAgent(.mock) { h in
            await h.mock.injectFault(
                .runPodSandbox,
                error: .failed(
                    call: "RunPodSandbox",
                    detail:
                        "failed to setup network for sandbox \"d10faa225ebd\": cni plugin not initialized"), times: nil,
                matching: "default/podnet")
            let manifest = Self.pod(name: "podnet", gate: false).replacingOccurrences(of: "  hostNetwork: true\n", with: "")
            try await h.apply(manifest)
            let p = try await h.wait("sandbox refused", timeout: 30) { () -> Pod? in
                let events = try await h.client.events(namespace: "default", name: "podnet").items
                guard
                    events.contains(where: {
                        $0.reason == "FailedCreatePodSandBox" && $0.type == "Warning"
                            && $0.message
                                == "Failed to create pod sandbox: failed to setup network for sandbox \"d10faa225ebd\": cni plugin not initialized"
                    })
                else { return nil }
                return try await h.pod("podnet")
            }
            #expect(p.status?.phase == "Pending")
            #expect(p.container("app")?.state.waiting?.reason == "ContainerCreating")
            #expect(p.status?.condition("Ready")?.status == "False")
            // Retried with back-off, and the agent keeps serving the other pods.
            try await h.apply(manifest + "\n---\n" + Self.pod(name: "hostnet", gate: false))
            try await h.waitReady("hostnet", restartCount: 0)
            try await h.wait("sandbox retried") {
                await h.mock.calls(.runPodSandbox).filter { $0.argument == "default/podnet" }.count >= 2 ? true : nil
            }
            await h.mock.clearFaults()
            try await h.waitReady("podnet", restartCount: 0)
        }
    }

    @Test func containerdScenariosRunWhenRequired() {
        if RuntimeUnderTest.criRequired {
            #expect(
                RuntimeUnderTest.criEndpoint != nil,
                "INPLACED_REQUIRE_CRI=1 but INPLACED_CRI_ENDPOINT is not set: the containerd scenarios did not run")
        }
    }
}

/// containerd shim processes serving the containerd at an endpoint (`-address <socket>`) for one
/// of the given sandboxes (`-id <sandbox ID>`: containerd runs one shim per pod).
enum ShimProcesses {
    static func of(endpoint: String, sandboxes: Set<String>) -> [Int32] {
        let socket = endpoint.hasPrefix("unix://") ? String(endpoint.dropFirst("unix://".count)) : endpoint
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        return entries.compactMap { e -> Int32? in
            guard let pid = Int32(e), let data = FileManager.default.contents(atPath: "/proc/\(e)/cmdline") else { return nil }
            let args = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            guard args.first?.contains("containerd-shim") == true, args.contains(socket),
                let i = args.firstIndex(of: "-id"), i + 1 < args.count, sandboxes.contains(args[i + 1])
            else { return nil }
            return pid
        }
    }
}

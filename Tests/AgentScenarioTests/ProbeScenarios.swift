import ContainerRuntime
import Foundation
import MockRuntime
import NodeAgent
import PodAPI
import ProbeTestSupport
import Testing

/// Probes end to end: the agent on the mock runtime (exec probes through its exec handler,
/// httpGet against a loopback server), observed through the status socket.
@Suite(.serialized) struct ProbeScenarios {
    /// A one-container pod; `probes` is YAML indented for the container's fields.
    static func pod(
        name: String = "probed", image: String = "nginx:1.25", gate: Bool = false, hostNetwork: Bool = false,
        probes: String
    ) -> String {
        """
        apiVersion: v1
        kind: Pod
        metadata:
          name: \(name)
          annotations:
            inplaced.io/inplace-update-grace-seconds: "0"
        spec:
        \(gate ? "  readinessGates:\n  - conditionType: InPlaceUpdateReady" : "")
        \(hostNetwork ? "  hostNetwork: true" : "")
          containers:
          - name: app
            image: \(image)
        \(probes)
        """
    }

    static func execProbe(_ field: String, _ command: String, failureThreshold: Int = 1) -> String {
        """
            \(field):
              exec:
                command: ["\(command)"]
              periodSeconds: 1
              failureThreshold: \(failureThreshold)
        """
    }

    static func id(_ p: Pod) -> String? { p.container("app")?.containerID?.replacingOccurrences(of: "mock://", with: "") }

    @Test func readinessProbeFailingKeepsThePodNotReadyUntilItPasses() async throws {
        let h = try await Harness()
        defer { Task { await h.stop() } }
        try await h.mock.registry(add: "nginx:1.25")
        let passing = Switch()
        await h.mock.setExecHandler { _, command in
            guard command == ["ready"] else { return ExecResult(stdout: "", stderr: "", exitCode: 0) }
            return passing.on
                ? ExecResult(stdout: "", stderr: "", exitCode: 0) : ExecResult(stdout: "", stderr: "not ready yet", exitCode: 1)
        }
        try await h.apply(Self.pod(probes: Self.execProbe("readinessProbe", "ready")))
        let unready = try await h.wait("running, not ready") { () -> Pod? in
            let p = try await h.pod("probed")
            guard p.container("app")?.state.running != nil else { return nil }
            let events = try await h.client.events(namespace: "default", name: "probed").items
            return events.contains { $0.reason == "Unhealthy" } ? p : nil
        }
        let c = try #require(unready.container("app"))
        #expect(c.ready == false)
        #expect(c.started == true)
        #expect(unready.status?.condition("ContainersReady")?.status == "False")
        #expect(unready.status?.condition("ContainersReady")?.message == "containers with unready status: [app]")
        #expect(unready.status?.condition("Ready")?.status == "False")
        let events = try await h.client.events(namespace: "default", name: "probed").items
        #expect(
            events.contains { $0.reason == "Unhealthy" && $0.type == "Warning" && $0.message == "Readiness probe failed: not ready yet" })

        passing.on = true
        let ready = try await h.waitReady("probed")
        #expect(ready.container("app")?.ready == true)
        #expect(ready.container("app")?.restartCount == 0)
        #expect(Self.id(ready) == Self.id(unready))  // readiness never restarts
    }

    @Test func failingLivenessProbeRestartsTheContainer() async throws {
        let h = try await Harness()
        defer { Task { await h.stop() } }
        try await h.mock.registry(add: "nginx:1.25")
        let bad = Names()
        await h.mock.setExecHandler { id, _ in
            bad.contains(id) ? ExecResult(stdout: "dead", stderr: "", exitCode: 1) : ExecResult(stdout: "", stderr: "", exitCode: 0)
        }
        try await h.apply(Self.pod(probes: Self.execProbe("livenessProbe", "live", failureThreshold: 2)))
        let first = try await h.waitReady("probed")
        let firstID = try #require(Self.id(first))
        bad.add(firstID)
        let restarted = try await h.wait("restarted after the liveness failure") { () -> Pod? in
            let p = try await h.pod("probed")
            return p.container("app")?.restartCount == 1 && p.container("app")?.state.running != nil ? p : nil
        }
        #expect(Self.id(restarted) != firstID)
        #expect(restarted.container("app")?.lastState.terminated?.containerID == "mock://\(firstID)")
        let events = try await h.client.events(namespace: "default", name: "probed").items
        #expect(events.contains { $0.reason == "Killing" && $0.message == "Container app failed liveness probe, will be restarted" })
        #expect(events.contains { $0.reason == "Unhealthy" && $0.type == "Warning" && $0.message == "Liveness probe failed: dead" })
        let again = try await h.waitReady("probed", restartCount: 1)
        #expect(again.container("app")?.ready == true)
    }

    @Test func livenessFailureWithRestartPolicyNeverKillsWithoutRestart() async throws {
        let h = try await Harness()
        defer { Task { await h.stop() } }
        try await h.mock.registry(add: "nginx:1.25")
        await h.mock.setExecHandler { _, _ in ExecResult(stdout: "dead", stderr: "", exitCode: 1) }
        let yaml = Self.pod(probes: Self.execProbe("livenessProbe", "live"))
            .replacingOccurrences(of: "  containers:", with: "  restartPolicy: Never\n  containers:")
        try await h.apply(yaml)
        let p = try await h.wait("killed, not restarted") { () -> Pod? in
            let p = try await h.pod("probed")
            return p.container("app")?.state.terminated != nil ? p : nil
        }
        #expect(p.container("app")?.restartCount == 0)
        let events = try await h.client.events(namespace: "default", name: "probed").items
        #expect(events.contains { $0.reason == "Killing" && $0.message == "Container app failed liveness probe" })
    }

    @Test func startupProbeGatesLivenessAndReadiness() async throws {
        let h = try await Harness()
        defer { Task { await h.stop() } }
        try await h.mock.registry(add: "nginx:1.25")
        let started = Switch()
        let calls = Names()
        await h.mock.setExecHandler { _, command in
            calls.add(command.joined(separator: " "))
            if command == ["start"] && !started.on { return ExecResult(stdout: "", stderr: "starting", exitCode: 1) }
            return ExecResult(stdout: "", stderr: "", exitCode: 0)
        }
        let probes =
            Self.execProbe("startupProbe", "start", failureThreshold: 60) + "\n"
            + Self.execProbe("readinessProbe", "ready") + "\n" + Self.execProbe("livenessProbe", "live")
        try await h.apply(Self.pod(probes: probes))
        let starting = try await h.wait("startup probe failing twice") { () -> Pod? in
            let p = try await h.pod("probed")
            return calls.count("start") >= 2 && p.container("app")?.state.running != nil ? p : nil
        }
        #expect(calls.count("ready") == 0 && calls.count("live") == 0)
        #expect(starting.container("app")?.started == false)
        #expect(starting.container("app")?.ready == false)
        #expect(starting.container("app")?.restartCount == 0)

        started.on = true
        let ready = try await h.waitReady("probed")
        #expect(ready.container("app")?.started == true)
        #expect(calls.count("ready") >= 1)
        try await h.wait("liveness runs") { calls.count("live") >= 1 ? true : nil }
        let startups = calls.count("start")
        try await Task.sleep(nanoseconds: 2_500_000_000)  // two and a half periods
        #expect(calls.count("start") == startups)  // a passed startup probe is not run again
        #expect(try await h.pod("probed").container("app")?.restartCount == 0)
    }

    @Test func httpReadinessProbeOfAHostNetworkPodHitsTheNodeIP() async throws {
        var config = Harness.fastConfig()
        config.nodeIP = "127.0.0.1"
        let h = try await Harness(config: config)
        defer { Task { await h.stop() } }
        let server = try await LoopbackServer.start()
        defer { Task { await server.stop() } }
        server.setStatus(500)
        try await h.mock.registry(add: "nginx:1.25")
        let probe = """
                readinessProbe:
                  httpGet:
                    path: /healthz
                    port: \(server.port)
                  periodSeconds: 1
                  failureThreshold: 1
            """
        try await h.apply(Self.pod(hostNetwork: true, probes: probe))
        try await h.wait("the HTTP probe failing") { () -> Bool? in
            let events = try await h.client.events(namespace: "default", name: "probed").items
            return events.contains { $0.message == "Readiness probe failed: HTTP probe failed with statuscode: 500" } ? true : nil
        }
        #expect(try await h.pod("probed").status?.condition("Ready")?.status == "False")
        server.setStatus(200)
        let ready = try await h.waitReady("probed")
        #expect(ready.status?.podIP == "127.0.0.1")
        let seen = try #require(server.requests.last { $0.path == "/healthz" })
        #expect(seen.header("User-Agent")?.hasPrefix("kube-probe/") == true)
    }

    @Test func inPlaceGateOpensOnlyOnceTheNewContainerIsReady() async throws {
        let h = try await Harness()
        defer { Task { await h.stop() } }
        try await h.mock.registry(add: "nginx:1.25")
        try await h.mock.registry(add: "nginx:1.26")
        let oldIDs = Names()
        let newReady = Switch()
        await h.mock.setExecHandler { id, _ in
            oldIDs.contains(id) || newReady.on
                ? ExecResult(stdout: "", stderr: "", exitCode: 0) : ExecResult(stdout: "", stderr: "warming up", exitCode: 1)
        }
        try await h.apply(Self.pod(gate: true, probes: Self.execProbe("readinessProbe", "ready")))
        // The first container's probe fails until its ID is known, so wait for Ready after that.
        let firstRunning = try await h.wait("first container running") { () -> String? in Self.id(try await h.pod("probed")) }
        oldIDs.add(firstRunning)
        let before = try await h.waitReady("probed")
        #expect(before.status?.condition("InPlaceUpdateReady")?.status == "True")

        try await h.apply(Self.pod(image: "nginx:1.26", gate: true, probes: Self.execProbe("readinessProbe", "ready")))
        let waiting = try await h.wait("new container running, not ready") { () -> Pod? in
            let p = try await h.pod("probed")
            guard let c = p.container("app"), c.restartCount == 1, c.state.running != nil, c.image == "nginx:1.26" else { return nil }
            let events = try await h.client.events(namespace: "default", name: "probed").items
            return events.contains { $0.message == "Readiness probe failed: warming up" } ? p : nil
        }
        #expect(waiting.status?.condition("InPlaceUpdateReady")?.status == "False")
        #expect(waiting.status?.condition("Ready")?.status == "False")
        #expect(waiting.container("app")?.ready == false)
        let updates = try await h.client.updates(namespace: "default", name: "probed")
        #expect(updates.last?.step == .verified)
        #expect(updates.last?.message?.contains("readiness probe") == true)

        // The agent restarted while the update waits: it resumes waiting, with no second restart.
        try await h.restartAgent()
        try await Task.sleep(nanoseconds: 1_500_000_000)
        let resumed = try await h.pod("probed")
        #expect(resumed.status?.condition("InPlaceUpdateReady")?.status == "False")
        #expect(resumed.container("app")?.restartCount == 1)
        #expect(Self.id(resumed) == Self.id(waiting))

        newReady.on = true
        let done = try await h.wait("gate open") { () -> Pod? in
            let p = try await h.pod("probed")
            return p.status?.condition("InPlaceUpdateReady")?.status == "True" ? p : nil
        }
        #expect(done.container("app")?.ready == true)
        #expect(done.container("app")?.restartCount == 1)
        #expect(Self.id(done) == Self.id(waiting))
        try await h.waitReady("probed", restartCount: 1)
        let finished = try await h.client.updates(namespace: "default", name: "probed")
        #expect(finished.last?.step == .completed)
        #expect(finished.last?.message == nil)
    }
}

/// A flag shared with the exec handler.
final class Switch: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var on: Bool {
        get {
            lock.lock()
            defer { lock.unlock() }
            return value
        }
        set {
            lock.lock()
            value = newValue
            lock.unlock()
        }
    }
}

/// A multiset of strings shared with the exec handler.
final class Names: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String: Int] = [:]
    func add(_ s: String) {
        lock.lock()
        items[s, default: 0] += 1
        lock.unlock()
    }
    func contains(_ s: String) -> Bool { count(s) > 0 }
    func count(_ s: String) -> Int {
        lock.lock()
        defer { lock.unlock() }
        return items[s] ?? 0
    }
}

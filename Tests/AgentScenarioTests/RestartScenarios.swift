import ContainerRuntime
import Foundation
import MockRuntime
import NodeAgent
import PodAPI
import Testing

/// Crashes of containers and of the agent itself.
@Suite(.serialized) struct RestartScenarios {
    @Test func crashedContainerRestartsWithBackOff() async throws {
        // A back-off long enough that the second crash surely falls inside it on a loaded machine.
        var config = Harness.fastConfig()
        config.backoffBaseSeconds = 2
        config.backoffMaxSeconds = 8
        let h = try await Harness(config: config)
        defer { Task { await h.stop() } }
        try await h.mock.registry(add: "nginx:1.25")
        try await h.mock.registry(add: "busybox:1.36")
        try await h.apply(Manifests.web(gate: false))
        let p0 = try await h.waitReady("web")
        let id0 = try #require(p0.container("app")?.containerID?.replacingOccurrences(of: "mock://", with: ""))
        try await h.mock.exitContainer(id: id0, exitCode: 1)
        let p1 = try await h.waitReady("web", restartCount: nil)
        _ = p1
        let restarted = try await h.wait("first restart") { () -> Pod? in
            let p = try await h.pod("web")
            return p.container("app")?.restartCount == 1 && p.container("app")?.state.running != nil ? p : nil
        }
        let last = try #require(restarted.container("app")?.lastState.terminated)
        #expect(last.exitCode == 1)
        #expect(last.reason == "Error")
        #expect(restarted.container("sidecar")?.restartCount == 0)

        // A second crash right away waits out the back-off first.
        let id1 = try #require(restarted.container("app")?.containerID?.replacingOccurrences(of: "mock://", with: ""))
        try await h.mock.exitContainer(id: id1, exitCode: 2)
        let waiting = try await h.wait("CrashLoopBackOff") { () -> ContainerStatus? in
            let c = try await h.pod("web").container("app")
            return c?.state.waiting?.reason == "CrashLoopBackOff" ? c : nil
        }
        #expect(waiting.lastState.terminated?.exitCode == 2)
        #expect(waiting.state.waiting?.message?.contains("back-off") == true)
        let back = try await h.wait("restart after back-off") { () -> Pod? in
            let p = try await h.pod("web")
            return p.container("app")?.restartCount == 2 && p.container("app")?.state.running != nil ? p : nil
        }
        #expect(back.status?.condition("Ready")?.status == "True")
        let events = try await h.client.events(namespace: "default", name: "web").items
        #expect(events.contains { $0.reason == "BackOff" && $0.type == "Warning" })
    }

    @Test func containerRemovedBehindTheAgentsBackIsRecreated() async throws {
        let h = try await Harness()
        defer { Task { await h.stop() } }
        try await h.mock.registry(add: "nginx:1.25")
        try await h.mock.registry(add: "busybox:1.36")
        try await h.apply(Manifests.web(gate: false))
        let p0 = try await h.waitReady("web")
        let id0 = try #require(p0.container("app")?.containerID?.replacingOccurrences(of: "mock://", with: ""))
        try await h.mock.removeContainerOutOfBand(id: id0)
        let p = try await h.wait("recreated") { () -> Pod? in
            let p = try await h.pod("web")
            return p.container("app")?.restartCount == 1 && p.container("app")?.state.running != nil ? p : nil
        }
        #expect(p.container("app")?.lastState.terminated?.reason == "ContainerStatusUnknown")
        #expect(p.container("app")?.lastState.terminated?.exitCode == 137)
    }

    @Test func restartedAgentAdoptsWithoutRestartingAnything() async throws {
        let h = try await Harness()
        defer { Task { await h.stop() } }
        try await h.mock.registry(add: "nginx:1.25")
        try await h.mock.registry(add: "busybox:1.36")
        try await h.apply(Manifests.web())
        let before = try await h.waitReady("web")
        try await h.restartAgent()
        try await h.apply(Manifests.web())
        let after = try await h.waitReady("web")
        try await Task.sleep(nanoseconds: 300_000_000)
        #expect(after.container("app")?.containerID == before.container("app")?.containerID)
        #expect(after.container("app")?.restartCount == 0)
        #expect(await h.mock.calls(.stopContainer).isEmpty)
        #expect(await h.mock.calls(.createContainer).count == 2)
    }

    @Test func changedHashAlgorithmDoesNotRestartB1() async throws {
        var legacy = Harness.fastConfig()
        legacy.hashAlgorithm = .fullContainer
        let h = try await Harness(config: legacy)
        defer { Task { await h.stop() } }
        try await h.mock.registry(add: "nginx:1.25")
        try await h.mock.registry(add: "busybox:1.36")
        try await h.apply(Manifests.web())
        let before = try await h.waitReady("web")
        try await h.restartAgent(config: Harness.fastConfig())
        try await h.apply(Manifests.web())
        try await Task.sleep(nanoseconds: 400_000_000)
        let after = try await h.waitReady("web")
        #expect(after.container("app")?.containerID == before.container("app")?.containerID)
        #expect(after.container("app")?.restartCount == 0)
        #expect(await h.mock.calls(.stopContainer).isEmpty)
    }
}

/// The agent killed at each step of an in-place update and restarted finishes the update with
/// exactly one container restart.
struct CrashDuringUpdateScenarios {
    static let points: [CrashPoint] = [
        .beforeAct(.prePulling), .afterAct(.prePulling), .beforeAct(.gateClosed), .beforeAct(.grace),
        .beforeAct(.stopped), .afterAct(.stopped), .beforeAct(.started), .intentWritten, .afterAct(.started), .beforeAct(.verified),
    ]

    @Test(arguments: points)
    func agentRestartedAtStepFinishesWithOneRestart(point: CrashPoint) async throws {
        let frozen = FreezeSwitch(at: point, armed: false)
        let h = try await Harness(hooks: AgentHooks { _, container, p in
            if container == "app" { try await frozen.hit(p) }
        })
        defer { Task { await h.stop() } }
        try await h.mock.registry(add: "nginx:1.25")
        try await h.mock.registry(add: "nginx:1.26")
        try await h.mock.registry(add: "busybox:1.36")
        try await h.apply(Manifests.web(grace: 0.2))
        let before = try await h.waitReady("web")
        await frozen.arm()
        try await h.apply(Manifests.web(image: "nginx:1.26", grace: 0.2))
        try await h.wait("agent frozen at \(point)") { await frozen.isFrozen ? true : nil }
        try await h.restartAgent()
        try await h.apply(Manifests.web(image: "nginx:1.26", grace: 0.2))
        let done = try await h.wait("update finished") { () -> Pod? in
            let p = try await h.pod("web")
            let u = try await h.client.updates(namespace: "default", name: "web").last
            return u?.step == .completed && p.status?.condition("Ready")?.status == "True" ? p : nil
        }
        let app = try #require(done.container("app"))
        #expect(app.restartCount == 1)
        #expect(app.image == "nginx:1.26")
        #expect(app.containerID != before.container("app")?.containerID)
        #expect(done.container("sidecar")?.containerID == before.container("sidecar")?.containerID)
        let appContainers = try await h.mock.listContainers(filter: ContainerFilter(labelSelector: ["io.kubernetes.container.name": "app"]))
        #expect(appContainers.count == 1)
        #expect(appContainers.first?.attempt == 1)
        // One create for the first app container, one for the sidecar, one for the new app container.
        #expect(await h.mock.calls(.createContainer).count == 3)
        #expect(done.status?.condition("InPlaceUpdateReady")?.status == "True")
    }
}

/// Freezes the first agent at one crash point until its task is cancelled.
actor FreezeSwitch {
    let point: CrashPoint
    private(set) var isFrozen = false
    private var used = false
    private var armed: Bool
    /// - Parameter armed: false to ignore hits until ``arm()`` (points the pod's first start also passes).
    init(at point: CrashPoint, armed: Bool = true) { self.point = point; self.armed = armed }

    func arm() { armed = true }

    /// Suspends until the task is cancelled, then throws: the agent goes no further, as a killed
    /// process would not.
    func hit(_ p: CrashPoint) async throws {
        guard p == point, armed, !used else { return }
        used = true
        isFrozen = true
        while !Task.isCancelled { try? await Task.sleep(nanoseconds: 5_000_000) }
        throw CancellationError()
    }
}

extension CrashPoint: CustomTestStringConvertible {
    public var testDescription: String {
        switch self {
        case .beforeAct(let s): return "before \(s.rawValue)"
        case .afterAct(let s): return "after \(s.rawValue)"
        case .intentWritten: return "intent written"
        }
    }
}

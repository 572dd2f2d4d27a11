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
        .beforeAct(.stopped), .afterAct(.stopped), .beforeAct(.started), .intentWritten, .createdWritten, .afterAct(.started),
        .beforeAct(.verified),
    ]

    /// An agent whose pod `web` runs nginx:1.25, frozen at `point` of the update to nginx:1.26
    /// (as a killed agent stops there); `before` is the pod before the update.
    static func frozenMidUpdate(at point: CrashPoint) async throws -> (h: Harness, before: Pod) {
        let frozen = FreezeSwitch(at: point, armed: false)
        let h = try await Harness(
            hooks: AgentHooks { _, container, p in
                if container == "app" { try await frozen.hit(p) }
            })
        try await h.mock.registry(add: "nginx:1.25")
        try await h.mock.registry(add: "nginx:1.26")
        try await h.mock.registry(add: "busybox:1.36")
        try await h.apply(Manifests.web(grace: 0.2))
        let before = try await h.waitReady("web")
        await frozen.arm()
        try await h.apply(Manifests.web(image: "nginx:1.26", grace: 0.2))
        try await h.wait("agent frozen at \(point)") { await frozen.isFrozen ? true : nil }
        return (h, before)
    }

    /// The app containers the runtime holds once none but the newest is left (the agent removes
    /// a replaced container after publishing the status; a second one that stays is an orphan
    /// and fails the caller's count after the wait's timeout).
    static func appContainersOnceReplacedRemoved(_ h: Harness) async throws -> [RuntimeContainer] {
        let list = { try await h.mock.listContainers(filter: ContainerFilter(labelSelector: ["io.kubernetes.container.name": "app"])) }
        _ = try? await h.wait("one app container left", timeout: 5) { () -> Bool? in try await list().count == 1 ? true : nil }
        return try await list()
    }

    /// Starts a new agent in place of the frozen one and waits for the update to complete with
    /// the pod Ready.
    static func restartAndFinish(_ h: Harness) async throws -> Pod {
        try await h.restartAgent()
        try await h.apply(Manifests.web(image: "nginx:1.26", grace: 0.2))
        return try await h.wait("update finished") { () -> Pod? in
            let p = try await h.pod("web")
            let u = try await h.client.updates(namespace: "default", name: "web").last
            return u?.step == .completed && p.status?.condition("Ready")?.status == "True" ? p : nil
        }
    }

    @Test(arguments: points)
    func agentRestartedAtStepFinishesWithOneRestart(point: CrashPoint) async throws {
        let (h, before) = try await Self.frozenMidUpdate(at: point)
        defer { Task { await h.stop() } }
        let done = try await Self.restartAndFinish(h)
        let app = try #require(done.container("app"))
        #expect(app.restartCount == 1)
        #expect(app.image == "nginx:1.26")
        #expect(app.containerID != before.container("app")?.containerID)
        #expect(done.container("sidecar")?.containerID == before.container("sidecar")?.containerID)
        // The replaced container is removed after the status that shows its successor.
        let appContainers = try await Self.appContainersOnceReplacedRemoved(h)
        #expect(appContainers.count == 1)
        #expect(appContainers.first?.attempt == 1)
        // One create for the first app container, one for the sidecar, one for the new app container.
        #expect(await h.mock.calls(.createContainer).count == 3)
        #expect(done.status?.condition("InPlaceUpdateReady")?.status == "True")
        #expect(app.state.running != nil, "state: \(String(describing: app.state))")
        #expect(!app.imageID.isEmpty)
        #expect(app.imageID != before.container("app")?.imageID)
        // The old container's end, whichever agent stopped it or read it: its ID, the exit of its
        // graceful stop, and when it ended.
        let last = try #require(app.lastState.terminated, "lastState: \(String(describing: app.lastState))")
        #expect(last.containerID == before.container("app")?.containerID)
        #expect(last.exitCode == 0)
        #expect(last.reason == "Completed")
        #expect(last.finishedAt != nil)
        #expect(last.startedAt == before.container("app")?.state.running?.startedAt)
    }

    /// The agent killed after the old container stopped and before the new one exists, and the
    /// image edited again meanwhile: the new container runs the newest image, with one restart,
    /// and the update's record says so (its target, imageID and container are the new one's).
    @Test(arguments: [CrashPoint.afterAct(.stopped), .beforeAct(.started), .intentWritten])
    func editWhileKilledAfterTheStopRetargetsTheUpdate(point: CrashPoint) async throws {
        let (h, before) = try await Self.frozenMidUpdate(at: point)
        defer { Task { await h.stop() } }
        try await h.mock.registry(add: "nginx:1.27")
        // The edit is stored by the agent that is about to be killed; the new agent starts on it.
        try await h.apply(Manifests.web(image: "nginx:1.27", grace: 0.2))
        try await h.restartAgent()
        try await h.apply(Manifests.web(image: "nginx:1.27", grace: 0.2))
        let done = try await h.wait("update finished on nginx:1.27") { () -> Pod? in
            let p = try await h.pod("web")
            let u = try await h.client.updates(namespace: "default", name: "web").last
            return u?.step == .completed && p.container("app")?.image == "nginx:1.27" && p.status?.condition("Ready")?.status == "True"
                ? p : nil
        }
        let app = try #require(done.container("app"))
        #expect(app.restartCount == 1)
        let updates = try await h.client.updates(namespace: "default", name: "web")
        let last = try #require(updates.last)
        #expect(last.toImage == "nginx:1.27")
        #expect(last.newImageID == app.imageID)
        #expect(last.newContainerID.map { app.containerID?.hasSuffix($0) ?? false } ?? false)
        #expect(last.message?.contains("superseded while the old container was stopped") == true)
        // The replaced container is removed after the status that shows its successor.
        let appContainers = try await Self.appContainersOnceReplacedRemoved(h)
        #expect(appContainers.count == 1)
        #expect(appContainers.first?.attempt == 1)
        #expect(done.container("sidecar")?.containerID == before.container("sidecar")?.containerID)
    }

    /// The agent stopped between CreateContainer and StartContainer, and the runtime then ended
    /// the created container without running it (containerd does so, exit 128 StartError, when
    /// the caller of a start goes away): that container never ran, so it is not a restart; it is
    /// removed and made again with the same restartCount.
    @Test func containerThatNeverRanIsMadeAgainWithTheSameRestartCount() async throws {
        let (h, before) = try await Self.frozenMidUpdate(at: .createdWritten)
        defer { Task { await h.stop() } }
        let created = try await h.mock.listContainers(filter: ContainerFilter(state: .created))
        let neverRan = try #require(created.first, "the new app container is created, not started")
        try await h.mock.abortStart(id: neverRan.id)
        let aborted = try await h.mock.containerStatus(id: neverRan.id)
        #expect(aborted.state == .exited && aborted.startedAt == 0 && aborted.exitCode == 128)
        let done = try await Self.restartAndFinish(h)
        let app = try #require(done.container("app"))
        #expect(app.restartCount == 1)
        #expect(app.state.running != nil)
        #expect(app.containerID != before.container("app")?.containerID)
        let apps = try await h.mock.listContainers(filter: ContainerFilter(labelSelector: ["io.kubernetes.container.name": "app"]))
        #expect(apps.map(\.attempt) == [1], "only the new container, attempt 1: \(apps.map { ($0.id.prefix(8), $0.attempt, $0.state) })")
        #expect(apps.first?.state == .running)
        let log = await h.mock.calls().map { "\($0.method) \($0.argument.prefix(12))" }
        #expect(await h.mock.calls(.createContainer).count == 4, "\(log)")
    }
}

/// The same for a pod's first start, outside any in-place update.
struct CrashDuringFirstStartScenarios {
    @Test(arguments: [false, true])
    func firstStartInterruptedAfterCreateEndsWithNoRestart(runtimeAbortsTheStart: Bool) async throws {
        let frozen = FreezeSwitch(at: .createdWritten)
        let h = try await Harness(
            hooks: AgentHooks { _, container, p in
                if container == "app" { try await frozen.hit(p) }
            })
        defer { Task { await h.stop() } }
        try await h.mock.registry(add: "nginx:1.25")
        try await h.mock.registry(add: "busybox:1.36")
        try await h.apply(Manifests.web(gate: false))
        try await h.wait("agent frozen after CreateContainer") { await frozen.isFrozen ? true : nil }
        let created = try await h.mock.listContainers(filter: ContainerFilter(state: .created))
        let app = try #require(created.first { $0.name == "app" })
        if runtimeAbortsTheStart { try await h.mock.abortStart(id: app.id) }
        try await h.restartAgent()
        try await h.apply(Manifests.web(gate: false))
        let p = try await h.waitReady("web")
        #expect(p.container("app")?.restartCount == 0)
        #expect(p.container("app")?.lastState.terminated == nil, "a container that never ran is no last state")
        let apps = try await h.mock.listContainers(filter: ContainerFilter(labelSelector: ["io.kubernetes.container.name": "app"]))
        #expect(apps.map(\.attempt) == [0])
        #expect(apps.first?.state == .running)
        #expect(await h.mock.calls(.createContainer).count == (runtimeAbortsTheStart ? 3 : 2))
    }
}

/// A StartContainer the runtime was still working on when the agent got its answer (containerd:
/// "already in starting state", or a dropped connection) that then ends without running the
/// container (exit 128, StartError, as containerd aborts a start whose first caller went away):
/// the container never ran, so it is made again with the same restartCount, once.
struct AbortedStartScenarios {
    @Test func startAbortedWhileUnderWayIsMadeAgainWithoutARestart() async throws {
        let h = try await Harness()
        defer { Task { await h.stop() } }
        try await h.mock.registry(add: "nginx:1.25")
        try await h.mock.registry(add: "nginx:1.26")
        try await h.mock.registry(add: "busybox:1.36")
        try await h.apply(Manifests.web(grace: 0.2))
        _ = try await h.waitReady("web")
        let startsBefore = await h.mock.calls(.startContainer).count
        await h.mock.injectFault(
            .startContainer,
            error: .failed(
                call: "StartContainer",
                detail: "failed to start container: container is already in starting state"))
        try await h.apply(Manifests.web(image: "nginx:1.26", grace: 0.2))
        try await h.wait("the refused StartContainer") { await h.mock.calls(.startContainer).count > startsBefore ? true : nil }
        let created = try #require(try await h.mock.listContainers(filter: ContainerFilter(state: .created)).first)
        try await h.mock.abortStart(id: created.id)
        let done = try await h.wait("update finished") { () -> Pod? in
            let p = try await h.pod("web")
            let u = try await h.client.updates(namespace: "default", name: "web").last
            return u?.step == .completed && p.status?.condition("Ready")?.status == "True" ? p : nil
        }
        let app = try #require(done.container("app"))
        #expect(app.restartCount == 1)
        #expect(app.state.running != nil)
        #expect(app.image == "nginx:1.26")
        let apps = try await h.mock.listContainers(filter: ContainerFilter(labelSelector: ["io.kubernetes.container.name": "app"]))
        #expect(apps.map(\.attempt) == [1])
        #expect(apps.first?.state == .running)
        #expect(await h.mock.calls(.createContainer).count == 4)
    }

    /// containerd 1.6 can keep the task of an aborted start and refuse to remove the container
    /// ("cannot delete running task"): the pod must not wait on it forever. The container is
    /// then counted as one that exited, as kubelet counts it, and the next attempt runs.
    @Test func abortedStartTheRuntimeWillNotRemoveCountsAsARestartInsteadOfBlocking() async throws {
        let (h, _) = try await CrashDuringUpdateScenarios.frozenMidUpdate(at: .createdWritten)
        defer { Task { await h.stop() } }
        let created = try #require(try await h.mock.listContainers(filter: ContainerFilter(state: .created)).first)
        try await h.mock.abortStart(id: created.id)
        await h.mock.injectFault(
            .removeContainer,
            error: .failed(
                call: "RemoveContainer",
                detail:
                    "failed to delete containerd container \"\(created.id)\": cannot delete running task \(created.id): failed precondition"
            ),
            times: nil, matching: created.id)
        try await h.restartAgent()
        try await h.apply(Manifests.web(image: "nginx:1.26", grace: 0.2))
        let done = try await h.wait("the next container runs") { () -> Pod? in
            let p = try await h.pod("web")
            return p.container("app")?.state.running != nil && p.container("app")?.image == "nginx:1.26"
                && p.status?.condition("Ready")?.status == "True" ? p : nil
        }
        #expect(done.container("app")?.restartCount == 2)
        #expect(done.container("app")?.lastState.terminated?.reason == "StartError")
        let running = try await h.mock.listContainers(
            filter: ContainerFilter(state: .running, labelSelector: ["io.kubernetes.container.name": "app"]))
        #expect(running.map(\.attempt) == [2])
    }
}

/// Freezes the first agent at one crash point until its task is cancelled.
actor FreezeSwitch {
    let point: CrashPoint
    private(set) var isFrozen = false
    private var used = false
    private var armed: Bool
    /// - Parameter armed: false to ignore hits until ``arm()`` (points the pod's first start also passes).
    init(at point: CrashPoint, armed: Bool = true) {
        self.point = point
        self.armed = armed
    }

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
        case .createdWritten: return "created written"
        }
    }
}

/// A graceful stop in the middle of an edit burst (the daemon's SIGTERM).
@Suite(.serialized) struct GracefulStopScenarios {
    @Test("an agent stopped during an edit burst lets its syncs finish: after a restart every pod runs its last image, as recorded")
    func stopDuringEditBurst() async throws {
        // The daemon's runtime: the mock saving its state on every change (slower calls, so a
        // stop lands inside syncs).
        let stateFile = URL(fileURLWithPath: NSTemporaryDirectory() + "ipd-burst-\(UUID().uuidString.prefix(8))/runtime.json")
        defer { try? FileManager.default.removeItem(at: stateFile.deletingLastPathComponent()) }
        let mock = try MockRuntime(stateFile: stateFile)
        let h = try await Harness(runtime: DurableMockRuntime(mock))
        defer { Task { await h.stop() } }
        let count = 60
        for image in ["nginx:1.0", "nginx:3.1", "nginx:3.2", "nginx:3.3", "busybox:1.36"] { try await mock.registry(add: image) }
        func all(_ image: String) -> String {
            (0..<count).map { Manifests.web(image: image, gate: false, grace: nil, name: "p\($0)") }.joined(separator: "\n---\n")
        }
        try await h.apply(all("nginx:1.0"))
        for i in 0..<count { try await h.waitReady("p\(i)") }
        // Calls after a start take a while, so the stop comes while syncs are past their start.
        await mock.setLatency(.containerStatus, seconds: 0.05)
        for round in 1...3 { try await h.apply(all("nginx:3.\(round)")) }
        try await Task.sleep(nanoseconds: 100_000_000)
        // The daemon's SIGTERM: the syncs in flight finish before the next agent starts (in a
        // loaded full run the 60 pods took longer than the daemon's 10 s, after which its
        // process would have ended; here the old syncs would have run beside the new agent's).
        try await h.restartAgent(drainSeconds: 120)
        await mock.setLatency(.containerStatus, seconds: 0)
        try await h.apply(all("nginx:3.3"))
        for i in 0..<count {
            try await h.wait("p\(i) on nginx:3.3") { () -> Bool? in
                let p = try await h.pod("p\(i)")
                return p.container("app")?.image == "nginx:3.3" && p.status?.condition("Ready")?.status == "True" ? true : nil
            }
        }
        // What the runtime runs, not only what the status says.
        let running = try await mock.listContainers(filter: ContainerFilter(state: .running))
            .filter { $0.name == "app" }
        #expect(running.count == count)
        let wrong = running.filter { $0.image != "nginx:3.3" }.map { $0.labels[KubeletLabels.podName] ?? $0.id }
        #expect(wrong.isEmpty, "pods whose running app container is not nginx:3.3: \(wrong)")
    }
}

import ContainerRuntime
import Foundation
import MockRuntime
import PodAPI
import Testing

@testable import NodeAgent

/// The mock with one fault of a real runtime's connection: with `forgetRemoval`, RemovePodSandbox
/// once answers success without removing anything (the old sandbox's containers keep their
/// names); with `dropStartAnswer`, StartContainer once starts the container and then fails as a
/// dropped connection does (the answer is lost, the start happened); with `unready` set to a
/// sandbox's ID, PodSandboxStatus reports that sandbox not ready while its containers run (its
/// pause process died).
struct FlakyRuntime: RuntimeService {
    let mock: MockRuntime
    var forgetRemoval = false
    var dropStartAnswer = false
    /// Pass the mock's container events on with neither sandbox ID nor pod UID (as a runtime
    /// that sends no sandbox status); off: no events (the runtime is relisted).
    var eventsWithoutPod = false
    let skipped = Flag()
    let dropped = Flag()
    let unready = LockedString()

    func version() async throws -> RuntimeVersion { try await mock.version() }
    func runPodSandbox(_ config: PodSandboxConfig) async throws -> String { try await mock.runPodSandbox(config) }
    func stopPodSandbox(id: String) async throws { try await mock.stopPodSandbox(id: id) }
    func removePodSandbox(id: String) async throws {
        if forgetRemoval, skipped.setOnce() { return }
        try await mock.removePodSandbox(id: id)
    }
    func podSandboxStatus(id: String) async throws -> PodSandboxStatus {
        var status = try await mock.podSandboxStatus(id: id)
        if unready.value == id { status.sandbox.state = .notReady }
        return status
    }
    func listPodSandboxes(labelSelector: [String: String]) async throws -> [PodSandbox] {
        try await mock.listPodSandboxes(labelSelector: labelSelector)
    }
    func createContainer(sandboxID: String, config: ContainerConfig, sandboxConfig: PodSandboxConfig) async throws -> String {
        try await mock.createContainer(sandboxID: sandboxID, config: config, sandboxConfig: sandboxConfig)
    }
    func startContainer(id: String) async throws {
        try await mock.startContainer(id: id)
        if dropStartAnswer, dropped.setOnce() {
            throw RuntimeError.unavailable(call: "StartContainer", detail: "cannot reach the runtime: Stream unexpectedly closed.")
        }
    }
    func stopContainer(id: String, timeoutSeconds: Int64) async throws {
        try await mock.stopContainer(id: id, timeoutSeconds: timeoutSeconds)
    }
    func removeContainer(id: String) async throws { try await mock.removeContainer(id: id) }
    func listContainers(filter: ContainerFilter) async throws -> [RuntimeContainer] { try await mock.listContainers(filter: filter) }
    func containerStatus(id: String) async throws -> RuntimeContainerStatus { try await mock.containerStatus(id: id) }
    func execSync(id: String, command: [String], timeoutSeconds: Int64) async throws -> ExecResult {
        try await mock.execSync(id: id, command: command, timeoutSeconds: timeoutSeconds)
    }
    func pullImage(_ image: String, sandboxConfig: PodSandboxConfig?) async throws -> String {
        try await mock.pullImage(image, sandboxConfig: sandboxConfig)
    }
    func imageStatus(_ image: String) async throws -> RuntimeImage? { try await mock.imageStatus(image) }
    func listImages() async throws -> [RuntimeImage] { try await mock.listImages() }
    func containerEvents() async throws -> AsyncThrowingStream<ContainerEvent, any Error>? {
        guard eventsWithoutPod, let events = try await mock.containerEvents() else { return nil }
        let (stream, continuation) = AsyncThrowingStream<ContainerEvent, any Error>.makeStream()
        let forward = Task {
            do {
                for try await var event in events {
                    event.podUID = ""
                    event.podSandboxID = ""
                    continuation.yield(event)
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in forward.cancel() }
        return stream
    }
}

/// A string shared between tasks.
final class LockedString: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: String?
    var value: String? {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}

/// A flag set at most once, safely from any task.
final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var raised = false
    /// True the first time only.
    func setOnce() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if raised { return false }
        raised = true
        return true
    }
    func set() { _ = setOnce() }
    var isSet: Bool {
        lock.lock()
        defer { lock.unlock() }
        return raised
    }
}

@Suite struct ReservedNameScenarios {
    @Test func holderIsReadFromContainerdsMessage() {
        let e = RuntimeError.failed(
            call: "CreateContainer",
            detail:
                #"failed to reserve container name "app_web_default_u1_0": name "app_web_default_u1_0" is reserved for "8f3a""#)
        #expect(ReservedName.holder(in: e) == "8f3a")
        #expect(ReservedName.holder(in: .failed(call: "CreateContainer", detail: "failed to resolve image")) == nil)
        #expect(ReservedName.holder(in: .unavailable(call: "CreateContainer", detail: "is reserved for \"x\"")) == nil)
    }

    /// A recreated pod (new sandbox, attempt 0 again) whose old containers the runtime kept:
    /// the leftover that holds the name is removed and the new container created.
    @Test func aLeftoverHoldingTheNameIsRemovedAndTheContainerCreated() async throws {
        let mock = MockRuntime()
        await mock.setAutoRegistry(true)
        let runtime = FlakyRuntime(mock: mock, forgetRemoval: true)
        let h = try await Harness(runtime: runtime)
        defer { Task { await h.stop() } }
        let pod = { (env: String) in
            """
            apiVersion: v1
            kind: Pod
            metadata: {name: web}
            spec:
              containers:
              - name: app
                image: nginx:1.25
                env: [{name: REVISION, value: "\(env)"}]
            """
        }
        try await h.apply(pod("1"))
        let before = try await h.waitReady("web", restartCount: 0)
        try await h.apply(pod("2"))  // not an image change: the pod is recreated in a new sandbox
        let after = try await h.wait("recreated") { () -> Pod? in
            let p = try await h.pod("web")
            guard p.status?.condition("Ready")?.status == "True", p.container("app")?.containerID != before.container("app")?.containerID
            else { return nil }
            return p
        }
        #expect(runtime.skipped.setOnce() == false)  // the runtime did forget one removal
        let apps = try await mock.listContainers(filter: ContainerFilter(labelSelector: [KubeletLabels.containerName: "app"]))
        #expect(apps.count == 1)
        #expect(apps.first.map { "mock://" + $0.id } == after.container("app")?.containerID)
        let events = try await h.client.events(namespace: "default", name: "web").items
        #expect(!events.contains { $0.message.contains("failed to reserve container name") })
    }
}

@Suite struct DroppedConnectionScenarios {
    /// StartContainer's answer lost although the container started: the agent finds it running
    /// and goes on, with no second container and no restart.
    @Test func aStartWhoseAnswerWasLostIsTakenAsDone() async throws {
        let mock = MockRuntime()
        await mock.setAutoRegistry(true)
        let runtime = FlakyRuntime(mock: mock, dropStartAnswer: true)
        let h = try await Harness(runtime: runtime)
        defer { Task { await h.stop() } }
        try await h.apply(
            """
            apiVersion: v1
            kind: Pod
            metadata: {name: web}
            spec:
              containers:
              - {name: app, image: nginx:1.25}
            """)
        let p = try await h.waitReady("web", restartCount: 0)
        #expect(runtime.dropped.setOnce() == false)  // the answer was dropped once
        #expect(await mock.calls(.createContainer).count == 1)
        #expect(await mock.calls(.startContainer).count == 1)
        let events = try await h.client.events(namespace: "default", name: "web").items
        #expect(events.contains { $0.reason == "Started" })
        #expect(!events.contains { $0.reason == "FailedSync" })
        #expect(p.container("app")?.state.running != nil)
    }
}

@Suite struct DeleteWhileRuntimeDownScenarios {
    /// A manifest deleted while the runtime is down: the delete is retried until the runtime
    /// answers, then the pod and its sandbox go.
    @Test func deletionIsRetriedUntilTheRuntimeAnswers() async throws {
        let h = try await Harness()
        defer { Task { await h.stop() } }
        try await h.mock.registry(add: "nginx:1.25")
        try await h.apply(
            """
            apiVersion: v1
            kind: Pod
            metadata: {name: gone}
            spec:
              containers:
              - {name: app, image: nginx:1.25}
            """)
        _ = try await h.waitReady("gone")
        await h.mock.injectFault(.stopContainer, error: .unavailable(call: "StopContainer", detail: "connection refused"), times: 2)
        await h.applyNothing()
        try await h.wait("pod deleted after the runtime came back", timeout: 20) { () -> Bool? in
            let pods = try await h.client.pods()
            return pods.items.isEmpty ? true : nil
        }
        #expect(await h.mock.calls(.stopContainer).count >= 3)
        #expect(try await h.mock.listPodSandboxes(labelSelector: [:]).isEmpty)
    }
}

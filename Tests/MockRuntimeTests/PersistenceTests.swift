import ContainerRuntime
import Foundation
import Testing

@testable import MockRuntime

@Suite("Persistence")
struct PersistenceTests {
    @Test("a new instance from the same file finds the sandboxes, containers and images")
    func roundTrip() async throws {
        let file = temporaryStateFile()
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
        let clock = ManualClock()

        let first = try MockRuntime(stateFile: file, saveDelaySeconds: 0.01, now: { clock.now() })
        try await first.registry(add: "nginx:1.25")
        let pod = podConfig("web", labels: ["app": "web"])
        let (sandbox, running) = try await runContainer(first, pod: pod)
        let (_, stopped) = try await runContainer(first, pod: pod, name: "side", sandboxID: sandbox)
        try await first.stopContainer(id: stopped, timeoutSeconds: 3)
        try await first.flush()

        let sandboxes = try await first.listPodSandboxes(labelSelector: [:])
        let containers = try await first.listContainers(filter: ContainerFilter())
        let statuses = [try await first.containerStatus(id: running), try await first.containerStatus(id: stopped)]
        let images = try await first.listImages()
        let sandboxStatus = try await first.podSandboxStatus(id: sandbox)

        let second = try MockRuntime(stateFile: file, now: { clock.now() })
        #expect(try await second.listPodSandboxes(labelSelector: [:]) == sandboxes)
        #expect(try await second.podSandboxStatus(id: sandbox) == sandboxStatus)
        #expect(try await second.listContainers(filter: ContainerFilter()) == containers)
        #expect([try await second.containerStatus(id: running), try await second.containerStatus(id: stopped)] == statuses)
        #expect(try await second.listImages() == images)
        #expect(await second.stopTimeoutSeconds(containerID: stopped) == 3)

        // Counters, names and IPs carry over: nothing is handed out twice.
        await #expect(throws: RuntimeError.self) { try await second.runPodSandbox(pod) }
        let next = try await second.runPodSandbox(podConfig("api"))
        #expect(next != sandbox)
        #expect(try await second.podSandboxStatus(id: next).ip == "10.88.0.3")
        try await second.stopContainer(id: running, timeoutSeconds: 1)  // still running after the "restart"
        #expect(try await second.containerStatus(id: running).state == .exited)
    }

    @Test("changes are saved without an explicit flush")
    func backgroundSave() async throws {
        let file = temporaryStateFile()
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
        let mock = try MockRuntime(stateFile: file, saveDelaySeconds: 0)
        let id = try await mock.runPodSandbox(podConfig())
        #expect(
            try await eventually {
                guard let reloaded = try? MockRuntime(stateFile: file) else { return false }
                return (try? await reloaded.podSandboxStatus(id: id)) != nil
            })
        #expect(await mock.lastSaveError == nil)
    }

    @Test("a burst of changes is coalesced into few writes and the last state wins")
    func coalesced() async throws {
        let file = temporaryStateFile()
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
        let mock = try MockRuntime(stateFile: file, saveDelaySeconds: 0.05)
        for index in 0..<200 { _ = try await mock.runPodSandbox(podConfig("p\(index)")) }
        try await mock.flush()
        let reloaded = try MockRuntime(stateFile: file)
        #expect(try await reloaded.listPodSandboxes(labelSelector: [:]).count == 200)
    }

    @Test("a missing file starts empty; an unreadable one is refused")
    func missingAndCorrupt() async throws {
        let file = temporaryStateFile()
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
        let empty = try MockRuntime(stateFile: file)
        #expect(try await empty.listPodSandboxes(labelSelector: [:]).isEmpty)

        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("{not json".utf8).write(to: file)
        #expect(throws: MockRuntimeError.self) { try MockRuntime(stateFile: file) }
    }

    @Test("without a state file nothing is written and flush is a no-op")
    func inMemory() async throws {
        let mock = try MockRuntime(stateFile: nil)
        _ = try await mock.runPodSandbox(podConfig())
        try await mock.flush()
        #expect(try await mock.listPodSandboxes(labelSelector: [:]).count == 1)
    }
}

/// Containers that end on a timer end after the runtime is reloaded from its file too.
@Suite("Timed exits after a reload")
struct TimedExitReloadTests {
    @Test("a reloaded running container of a timed behaviour ends when it would have", .timeLimit(.minutes(1)))
    func rearmed() async throws {
        let file = temporaryStateFile()
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
        let exitsSoon = ContainerBehaviour.exitAfterStart(seconds: 1, code: 3, reason: nil)
        let id: String
        do {
            let first = try MockRuntime(stateFile: file, saveDelaySeconds: 0)
            try await first.registry(add: "nginx:1.25")
            // Long enough that the first instance never ends it: only a re-armed timer can.
            await first.setBehaviour(forImage: "nginx:1.25", .exitAfterStart(seconds: 600, code: 9, reason: nil))
            (_, id) = try await runContainer(first)
            try await first.flush()
        }
        let second = try MockRuntime(stateFile: file, saveDelaySeconds: 0)
        #expect(try await second.containerStatus(id: id).state == .running)
        // Without the behaviour it runs until stopped: nothing to arm.
        #expect(await second.rearmTimedExits() == 0)
        await second.setBehaviour(forImage: "nginx:1.25", exitsSoon)
        #expect(await second.rearmTimedExits() == 1)
        try await second.waitForExit(containerID: id)
        let status = try await second.containerStatus(id: id)
        #expect(status.state == .exited)
        #expect(status.exitCode == 3)
        // Armed once: a second call finds nothing running.
        #expect(await second.rearmTimedExits() == 0)
    }

    @Test("a state file that cannot be written fails the durable call as a runtime error saying why, not with Foundation's dump")
    func unwritableStateFile() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mockruntime-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        // The state file's directory is a regular file: every save fails.
        let blocker = dir.appendingPathComponent("not-a-dir")
        try Data("x".utf8).write(to: blocker)
        let durable = DurableMockRuntime(try MockRuntime(stateFile: blocker.appendingPathComponent("runtime.json"), saveDelaySeconds: 0))
        await durable.mock.setAutoRegistry(true)
        let error = await #expect(throws: RuntimeError.self) { _ = try await durable.pullImage("nginx:1.25", sandboxConfig: nil) }
        guard case .failed(let call, let detail)? = error else {
            Issue.record("expected .failed, got \(String(describing: error))")
            return
        }
        #expect(call == "PullImage")
        #expect(detail.contains("cannot save mock runtime state \(blocker.path)/runtime.json"))
        #expect(detail.contains("already exists"))
        #expect(!detail.contains("NSCocoaErrorDomain"))
    }
}

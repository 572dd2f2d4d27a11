import ContainerRuntime
import Testing

@testable import MockRuntime

@Suite("Containers that exit, crash or vanish on cue")
struct BehaviourTests {
    @Test(
        "exitContainer ends a running container with the given code and reason",
        arguments: [
            (Int32(0), String?.none, "Completed"),
            (Int32(1), String?.none, "Error"),
            (Int32(137), String?("OOMKilled"), "OOMKilled"),
        ])
    func exitOnCue(code: Int32, reason: String?, expectedReason: String) async throws {
        let (mock, clock) = try await makeMock()
        let (_, id) = try await runContainer(mock)
        clock.advance(seconds: 7)
        try await mock.exitContainer(id: id, exitCode: code, reason: reason)
        let status = try await mock.containerStatus(id: id)
        #expect(status.state == .exited)
        #expect(status.exitCode == code)
        #expect(status.reason == expectedReason)
        #expect(status.finishedAt == clock.now())
    }

    @Test("exitContainer leaves non-running containers alone and refuses unknown ones")
    func exitOnlyRunning() async throws {
        let (mock, _) = try await makeMock()
        let pod = podConfig()
        let sandbox = try await mock.runPodSandbox(pod)
        let imageID = try await mock.pullImage("nginx:1.25", sandboxConfig: pod)
        let id = try await mock.createContainer(sandboxID: sandbox, config: containerConfig(image: imageID), sandboxConfig: pod)
        try await mock.exitContainer(id: id, exitCode: 1)
        #expect(try await mock.containerStatus(id: id).state == .created)
        await #expect(throws: RuntimeError.self) { try await mock.exitContainer(id: "nope", exitCode: 1) }
    }

    @Test("a container removed out of band is gone from status and lists")
    func outOfBandRemoval() async throws {
        let (mock, _) = try await makeMock()
        let (sandbox, id) = try await runContainer(mock)
        await mock.clearCalls()
        try await mock.removeContainerOutOfBand(id: id)
        #expect(await mock.calls().isEmpty)
        #expect(try await mock.containerStatus(id: id, orNil: true) == nil)
        #expect(try await mock.listContainers(filter: ContainerFilter(sandboxID: sandbox)).isEmpty)
        await #expect(throws: RuntimeError.self) { try await mock.removeContainerOutOfBand(id: id) }
    }

    @Test("containers of an image with exitAfterStart exit by themselves; other images keep running")
    func exitAfterStart() async throws {
        let (mock, _) = try await makeMock()
        try await mock.registry(add: "job:1")
        await mock.setBehaviour(forImage: "job:1", .exitAfterStart(seconds: 0.01, code: 3))
        let (sandbox, job) = try await runContainer(mock, image: "job:1", name: "job")
        let (_, web) = try await runContainer(mock, name: "web", sandboxID: sandbox)

        try await mock.waitForExit(containerID: job)
        let status = try await mock.containerStatus(id: job)
        #expect(status.state == .exited)
        #expect(status.exitCode == 3)
        #expect(status.reason == "Error")
        #expect(try await mock.containerStatus(id: web).state == .running)
    }

    @Test("crashLoop makes every new container of the image crash with exit code 1")
    func crashLoop() async throws {
        let (mock, _) = try await makeMock()
        await mock.setBehaviour(forImage: "docker.io/library/nginx:1.25", .crashLoop)
        let pod = podConfig()
        let (sandbox, first) = try await runContainer(mock, pod: pod)
        try await mock.waitForExit(containerID: first)
        let (_, second) = try await runContainer(mock, pod: pod, attempt: 1, sandboxID: sandbox)
        try await mock.waitForExit(containerID: second)
        for id in [first, second] {
            let status = try await mock.containerStatus(id: id)
            #expect((status.state, status.exitCode, status.reason) == (.exited, 1, "Error"))
        }

        await mock.setBehaviour(forImage: "nginx:1.25", .runUntilStopped)
        let (_, third) = try await runContainer(mock, pod: pod, attempt: 2, sandboxID: sandbox)
        #expect(try await mock.containerStatus(id: third).state == .running)
    }

    @Test("a behaviour set by one tag applies to containers of another tag of the same image")
    func behaviourFollowsDigest() async throws {
        let mock = MockRuntime()
        try await mock.registry(add: "app:v1", digest: digest("4"))
        try await mock.registry(add: "app:stable", digest: digest("4"))
        _ = try await mock.pullImage("app:v1", sandboxConfig: nil)
        await mock.setBehaviour(forImage: "app:v1", .exitAfterStart(seconds: 0, code: 0))
        let (_, id) = try await runContainer(mock, image: "app:stable")
        try await mock.waitForExit(containerID: id)
        let status = try await mock.containerStatus(id: id)
        #expect((status.exitCode, status.reason) == (0, "Completed"))
    }

    @Test("stopping a container cancels its pending self-exit")
    func stopCancelsBehaviour() async throws {
        let (mock, _) = try await makeMock()
        await mock.setBehaviour(forImage: "nginx:1.25", .exitAfterStart(seconds: 0.05, code: 9))
        let (_, id) = try await runContainer(mock)
        try await mock.stopContainer(id: id, timeoutSeconds: 1)
        try await Task.sleep(nanoseconds: 150_000_000)  // past the behaviour's delay
        let status = try await mock.containerStatus(id: id)
        #expect((status.exitCode, status.reason) == (0, "Completed"))
    }

    @Test("failToStart fails StartContainer and leaves the container exited with StartError")
    func failToStart() async throws {
        let (mock, _) = try await makeMock()
        await mock.setBehaviour(forImage: "nginx:1.25", .failToStart(message: "exec: \"/app\": not found"))
        let pod = podConfig()
        let sandbox = try await mock.runPodSandbox(pod)
        let imageID = try await mock.pullImage("nginx:1.25", sandboxConfig: pod)
        let id = try await mock.createContainer(sandboxID: sandbox, config: containerConfig(image: imageID), sandboxConfig: pod)
        let detail = "failed to create containerd task: failed to create shim task: OCI runtime create failed: exec: \"/app\": not found"
        await #expect(throws: RuntimeError.failed(call: "StartContainer", detail: detail)) {
            try await mock.startContainer(id: id)
        }
        let status = try await mock.containerStatus(id: id)
        #expect(status.state == .exited)
        #expect(status.exitCode == 128)
        #expect(status.reason == "StartError")
        #expect(status.message == detail)
    }
}

extension MockRuntime {
    /// The status, or nil when the container is unknown.
    func containerStatus(id: String, orNil: Bool) async throws -> RuntimeContainerStatus? {
        do { return try await containerStatus(id: id) } catch let error as RuntimeError where error.isNotFound { return nil }
    }
}

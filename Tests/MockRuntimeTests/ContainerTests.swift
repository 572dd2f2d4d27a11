import ContainerRuntime
import Testing

@testable import MockRuntime

@Suite("Containers")
struct ContainerTests {
    @Test("create, start, stop and remove walk containerd's states with the clock's times")
    func lifecycle() async throws {
        let (mock, clock) = try await makeMock()
        let pod = podConfig("web", uid: "u1")
        let imageID = try await mock.pullImage("nginx:1.25", sandboxConfig: pod)
        let sandbox = try await mock.runPodSandbox(pod)
        let config = containerConfig("app", image: imageID, attempt: 3, labels: ["io.kubernetes.container.name": "app"])

        let manifest = try await MockRuntime().registry(add: "nginx:1.25")  // the same derived digest
        let created = clock.now()
        let id = try await mock.createContainer(sandboxID: sandbox, config: config, sandboxConfig: pod)
        var status = try await mock.containerStatus(id: id)
        #expect(
            status
                == RuntimeContainerStatus(
                    id: id, name: "app", attempt: 3, state: .created, createdAt: created,
                    image: "docker.io/library/nginx:1.25",
                    imageRef: "docker.io/library/nginx@" + manifest,
                    labels: ["io.kubernetes.container.name": "app"], annotations: ["io.kubernetes.container.hash": "abc"],
                    logPath: "/var/log/pods/default_web_u1/app/3.log"))

        clock.advance(seconds: 1)
        try await mock.startContainer(id: id)
        status = try await mock.containerStatus(id: id)
        #expect(status.state == .running)
        #expect(status.startedAt == created + 1_000_000_000)
        #expect(status.finishedAt == 0)
        #expect(status.reason == "")

        clock.advance(seconds: 2)
        try await mock.stopContainer(id: id, timeoutSeconds: 30)
        status = try await mock.containerStatus(id: id)
        #expect(status.state == .exited)
        #expect(status.finishedAt == created + 3_000_000_000)
        #expect(status.exitCode == 0)
        #expect(status.reason == "Completed")
        #expect(await mock.stopTimeoutSeconds(containerID: id) == 30)

        try await mock.removeContainer(id: id)
        await #expect(throws: RuntimeError.notFound(call: "ContainerStatus", kind: "container", id: id)) {
            try await mock.containerStatus(id: id)
        }
        try await mock.removeContainer(id: id)  // unknown: fine
    }

    @Test("listed containers carry the config's image and the image's repo digest")
    func listedContainer() async throws {
        let (mock, _) = try await makeMock()
        let (sandbox, id) = try await runContainer(mock)
        let listed = try #require(try await mock.listContainers(filter: ContainerFilter(id: id)).first)
        let imageID = try #require(try await mock.imageStatus("nginx:1.25")?.id)
        #expect(listed.sandboxID == sandbox)
        #expect(listed.name == "app")
        #expect(listed.image == imageID)
        #expect(listed.imageRef == (try await mock.containerStatus(id: id)).imageRef)
        #expect(listed.state == .running)
    }

    @Test("stop exit codes come from the image's setting: 0 → Completed, non-zero → Error")
    func stopExitCodes() async throws {
        let (mock, _) = try await makeMock()
        try await mock.registry(add: "busybox:1")
        await mock.setStopExitCode(forImage: "busybox:1", code: 143)
        let (sandbox, graceful) = try await runContainer(mock)
        let (_, stubborn) = try await runContainer(mock, image: "busybox:1", name: "side", sandboxID: sandbox)

        try await mock.stopContainer(id: graceful, timeoutSeconds: 10)
        try await mock.stopContainer(id: stubborn, timeoutSeconds: 0)
        let a = try await mock.containerStatus(id: graceful)
        let b = try await mock.containerStatus(id: stubborn)
        #expect((a.exitCode, a.reason) == (0, "Completed"))
        #expect((b.exitCode, b.reason) == (143, "Error"))
        #expect(await mock.stopTimeoutSeconds(containerID: stubborn) == 0)

        // Stopping an exited container succeeds and changes nothing.
        try await mock.stopContainer(id: stubborn, timeoutSeconds: 5)
        #expect(try await mock.containerStatus(id: stubborn) == b)
        await #expect(throws: RuntimeError.notFound(call: "StopContainer", kind: "container", id: "nope")) {
            try await mock.stopContainer(id: "nope", timeoutSeconds: 1)
        }
    }

    @Test("starting a container twice fails with containerd's message")
    func startTwice() async throws {
        let (mock, _) = try await makeMock()
        let (_, id) = try await runContainer(mock)
        await #expect(
            throws: RuntimeError.failed(
                call: "StartContainer",
                detail: "failed to set starting state for container \"\(id)\": container is in CONTAINER_RUNNING state")
        ) {
            try await mock.startContainer(id: id)
        }
        await #expect(throws: RuntimeError.notFound(call: "StartContainer", kind: "container", id: "nope")) {
            try await mock.startContainer(id: "nope")
        }
    }

    @Test("a container name and attempt stay reserved until the container is removed")
    func nameReservation() async throws {
        let (mock, _) = try await makeMock()
        let pod = podConfig("web", uid: "u1")
        let (sandbox, first) = try await runContainer(mock, pod: pod)
        try await mock.stopContainer(id: first, timeoutSeconds: 1)
        let imageID = try #require(try await mock.imageStatus("nginx:1.25")?.id)
        let name = "app_web_default_u1_0"
        await #expect(
            throws: RuntimeError.failed(
                call: "CreateContainer",
                detail: "failed to reserve container name \"\(name)\": name \"\(name)\" is reserved for \"\(first)\"")
        ) {
            try await mock.createContainer(sandboxID: sandbox, config: containerConfig(image: imageID), sandboxConfig: pod)
        }
        _ = try await mock.createContainer(sandboxID: sandbox, config: containerConfig(image: imageID, attempt: 1), sandboxConfig: pod)
        try await mock.removeContainer(id: first)
        _ = try await mock.createContainer(sandboxID: sandbox, config: containerConfig(image: imageID), sandboxConfig: pod)
    }

    @Test("an unknown sandbox is reported not found")
    func unknownSandbox() async throws {
        let (mock, _) = try await makeMock()
        _ = try await mock.pullImage("nginx:1.25", sandboxConfig: nil)
        await #expect(throws: RuntimeError.notFound(call: "CreateContainer", kind: "sandbox", id: "nope")) {
            try await mock.createContainer(sandboxID: "nope", config: containerConfig(image: "nginx:1.25"), sandboxConfig: podConfig())
        }
    }

    @Test("list filters by ID prefix, state, sandbox and labels")
    func listFilters() async throws {
        let (mock, _) = try await makeMock()
        let (s1, a) = try await runContainer(mock, pod: podConfig("one"), labels: ["role": "web"])
        let (_, b) = try await runContainer(mock, pod: podConfig("one"), name: "side", labels: ["role": "log"], sandboxID: s1)
        let (s2, c) = try await runContainer(mock, pod: podConfig("two"), labels: ["role": "web"])
        try await mock.stopContainer(id: b, timeoutSeconds: 1)

        func ids(_ filter: ContainerFilter) async throws -> [String] { try await mock.listContainers(filter: filter).map(\.id) }
        #expect(try await ids(ContainerFilter()) == [a, b, c])
        #expect(try await ids(ContainerFilter(id: a)) == [a])
        #expect(try await ids(ContainerFilter(id: String(c.prefix(12)))) == [c])
        #expect(try await ids(ContainerFilter(state: .running)) == [a, c])
        #expect(try await ids(ContainerFilter(state: .exited)) == [b])
        #expect(try await ids(ContainerFilter(sandboxID: s1)) == [a, b])
        #expect(try await ids(ContainerFilter(sandboxID: s2, labelSelector: ["role": "web"])) == [c])
        #expect(try await ids(ContainerFilter(labelSelector: ["role": "web"])) == [a, c])
        #expect(try await ids(ContainerFilter(state: .created, sandboxID: s1)) == [])
        #expect(try await ids(ContainerFilter(sandboxID: "unknown")) == [])
    }

    @Test("exec answers the image version by default and runs a custom handler otherwise")
    func exec() async throws {
        let (mock, _) = try await makeMock()
        let (_, id) = try await runContainer(mock)
        let imageRef = try await mock.containerStatus(id: id).imageRef
        let version = try await mock.execSync(id: id, command: ["cat", "/etc/image-version"], timeoutSeconds: 1)
        #expect(version == ExecResult(stdout: imageRef, stderr: "", exitCode: 0))
        #expect(try await mock.execSync(id: id, command: ["true"], timeoutSeconds: 0) == ExecResult(stdout: "", stderr: "", exitCode: 0))

        await mock.setExecHandler { containerID, command in
            ExecResult(stdout: "\(containerID.prefix(4)) \(command.joined(separator: " "))", stderr: "oops", exitCode: 2)
        }
        #expect(
            try await mock.execSync(id: id, command: ["ls", "/"], timeoutSeconds: 0)
                == ExecResult(stdout: "\(id.prefix(4)) ls /", stderr: "oops", exitCode: 2))

        await mock.setExecHandler(nil)
        try await mock.stopContainer(id: id, timeoutSeconds: 1)
        await #expect(throws: RuntimeError.failed(call: "ExecSync", detail: "container is in CONTAINER_EXITED state")) {
            try await mock.execSync(id: id, command: ["true"], timeoutSeconds: 1)
        }
    }

    @Test("an exec handler slower than the timeout fails the call with a deadline error")
    func execTimeout() async throws {
        let (mock, _) = try await makeMock()
        let (_, id) = try await runContainer(mock)
        await mock.setExecHandler { _, _ in
            try await Task.sleep(nanoseconds: 60_000_000_000)
            return ExecResult(stdout: "late", stderr: "", exitCode: 0)
        }
        await #expect(
            throws: RuntimeError.failed(
                call: "ExecSync", detail: "failed to exec in container: timeout 1s exceeded: context deadline exceeded")
        ) {
            try await mock.execSync(id: id, command: ["sleep", "60"], timeoutSeconds: 1)
        }
        struct Boom: Error {}
        await mock.setExecHandler { _, _ in throw Boom() }
        await #expect(throws: RuntimeError.self) { try await mock.execSync(id: id, command: ["x"], timeoutSeconds: 0) }
    }

    @Test("the log path joins the sandbox log directory, or echoes the config's without one")
    func logPath() {
        #expect(MockRuntime.joinLogPath("/var/log/pods/x/", "app/0.log") == "/var/log/pods/x/app/0.log")
        #expect(MockRuntime.joinLogPath("", "app/0.log") == "app/0.log")
        #expect(MockRuntime.joinLogPath("/var/log/pods/x", "") == "")
    }
}

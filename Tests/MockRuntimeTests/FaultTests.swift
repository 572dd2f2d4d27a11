import ContainerRuntime
import Testing

@testable import MockRuntime

@Suite("Injected faults")
struct FaultTests {
    static let unavailable = RuntimeError.unavailable(call: "PullImage", detail: "connection refused")

    @Test("a fault fails the given number of calls, then calls succeed")
    func times() async throws {
        let (mock, _) = try await makeMock()
        await mock.injectFault(.pullImage, error: Self.unavailable, times: 2)
        for _ in 0..<2 {
            await #expect(throws: Self.unavailable) { try await mock.pullImage("nginx:1.25", sandboxConfig: nil) }
        }
        #expect(try await mock.imageStatus("nginx:1.25") == nil)  // a failed call has no effect
        _ = try await mock.pullImage("nginx:1.25", sandboxConfig: nil)
        #expect(await mock.calls(.pullImage).count == 3)  // failed calls are logged too
    }

    @Test("a fault without a count lasts until cleared")
    func untilCleared() async throws {
        let mock = MockRuntime()
        let error = RuntimeError.unavailable(call: "Version", detail: "socket missing")
        await mock.injectFault(.version, error: error, times: nil)
        for _ in 0..<5 { await #expect(throws: error) { try await mock.version() } }
        await mock.clearFaults()
        #expect(try await mock.version() == RuntimeVersion(runtimeName: "mock", runtimeVersion: "0.1.0", runtimeAPIVersion: "v1"))
        #expect(try await MockRuntime(runtimeName: "containerd").version().runtimeName == "containerd")
    }

    @Test("a fault matching an image fails only pulls of that image")
    func matchingImage() async throws {
        let (mock, _) = try await makeMock()
        try await mock.registry(add: "nginx:1.26")
        let error = RuntimeError.failed(call: "PullImage", detail: "429 Too Many Requests")
        await mock.injectFault(.pullImage, error: error, times: nil, matching: "nginx:1.26")
        _ = try await mock.pullImage("nginx:1.25", sandboxConfig: nil)
        await #expect(throws: error) { try await mock.pullImage("nginx:1.26", sandboxConfig: nil) }
        await #expect(throws: error) { try await mock.pullImage("docker.io/library/nginx:1.26", sandboxConfig: nil) }
    }

    @Test("a fault matching a container ID or its image fails only calls about that container")
    func matchingContainer() async throws {
        let (mock, _) = try await makeMock()
        try await mock.registry(add: "redis:7")
        let pod = podConfig()
        let sandbox = try await mock.runPodSandbox(pod)
        let nginx = try await mock.pullImage("nginx:1.25", sandboxConfig: pod)
        let redis = try await mock.pullImage("redis:7", sandboxConfig: pod)
        let a = try await mock.createContainer(sandboxID: sandbox, config: containerConfig("a", image: nginx), sandboxConfig: pod)
        let b = try await mock.createContainer(sandboxID: sandbox, config: containerConfig("b", image: nginx), sandboxConfig: pod)
        let c = try await mock.createContainer(sandboxID: sandbox, config: containerConfig("c", image: redis), sandboxConfig: pod)

        let error = RuntimeError.failed(call: "StartContainer", detail: "boom")
        await mock.injectFault(.startContainer, error: error, matching: String(a.prefix(16)))
        await mock.injectFault(.startContainer, error: error, matching: "redis:7")
        try await mock.startContainer(id: b)
        await #expect(throws: error) { try await mock.startContainer(id: a) }
        await #expect(throws: error) { try await mock.startContainer(id: c) }
        try await mock.startContainer(id: a)  // the one-shot faults are spent
        try await mock.startContainer(id: c)
    }

    @Test("a fault on one method leaves the others alone")
    func perMethod() async throws {
        let (mock, _) = try await makeMock()
        await mock.injectFault(.stopContainer, error: RuntimeError.unavailable(call: "StopContainer", detail: "x"), times: nil)
        let (_, id) = try await runContainer(mock)
        await #expect(throws: RuntimeError.self) { try await mock.stopContainer(id: id, timeoutSeconds: 1) }
        #expect(try await mock.containerStatus(id: id).state == .running)
        try await mock.removeContainer(id: id)
    }
}

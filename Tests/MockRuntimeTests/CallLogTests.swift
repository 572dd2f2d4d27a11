import ContainerRuntime
import Testing

@testable import MockRuntime

@Suite("Call log")
struct CallLogTests {
    @Test("calls are logged in order with their argument and the clock's time")
    func order() async throws {
        let (mock, clock) = try await makeMock()
        let start = clock.now()
        let pod = podConfig("web", namespace: "shop")
        let sandbox = try await mock.runPodSandbox(pod)
        clock.advance(seconds: 1)
        let imageID = try await mock.pullImage("nginx:1.25", sandboxConfig: pod)
        let id = try await mock.createContainer(sandboxID: sandbox, config: containerConfig(image: imageID), sandboxConfig: pod)
        try await mock.startContainer(id: id)
        clock.advance(seconds: 1)
        try await mock.stopContainer(id: id, timeoutSeconds: 30)
        _ = try await mock.listContainers(filter: ContainerFilter(sandboxID: sandbox))

        let calls = await mock.calls()
        #expect(
            calls == [
                MockCall(method: .runPodSandbox, argument: "shop/web", at: start),
                MockCall(method: .pullImage, argument: "nginx:1.25", at: start + 1_000_000_000),
                MockCall(method: .createContainer, argument: imageID, at: start + 1_000_000_000),
                MockCall(method: .startContainer, argument: id, at: start + 1_000_000_000),
                MockCall(method: .stopContainer, argument: id, at: start + 2_000_000_000),
                MockCall(method: .listContainers, argument: sandbox, at: start + 2_000_000_000),
            ])
        let pullIndex = try #require(calls.firstIndex { $0.method == .pullImage })
        let stopIndex = try #require(calls.firstIndex { $0.method == .stopContainer })
        #expect(pullIndex < stopIndex)
        #expect(await mock.calls(.startContainer).map(\.argument) == [id])

        await mock.clearCalls()
        #expect(await mock.calls().isEmpty)
    }

    @Test("the log keeps the newest calls up to its capacity")
    func capacity() async throws {
        let mock = MockRuntime(callLogCapacity: 3)
        for index in 0..<10 { _ = try await mock.imageStatus("img:\(index)") }
        #expect(await mock.calls().map(\.argument) == ["img:7", "img:8", "img:9"])
    }

    @Test("every protocol method has its CRI name")
    func criNames() {
        #expect(MockMethod.allCases.count == 17)
        #expect(MockMethod.listPodSandboxes.criName == "ListPodSandbox")
        #expect(Set(MockMethod.allCases.map(\.criName)).count == 17)
    }
}

import ContainerRuntime
import Testing

@testable import MockRuntime

@Suite("Latency")
struct LatencyTests {
    @Test("a slow call stays pending while other calls are answered, and acts when it ends")
    func slowCallOverlaps() async throws {
        let (mock, _) = try await makeMock()
        await mock.setLatency(.pullImage, seconds: 2)  // wide: the checks below must land inside it
        let pull = Task { try await mock.pullImage("nginx:1.25", sandboxConfig: nil) }
        #expect(try await eventually { await mock.calls(.pullImage).count == 1 })

        // The pull has arrived but not acted; other calls still get through meanwhile.
        #expect(try await mock.imageStatus("nginx:1.25") == nil)
        _ = try await mock.version()
        let id = try await pull.value
        #expect(try await mock.imageStatus("nginx:1.25")?.id == id)
        #expect(await mock.calls().map(\.method) == [.pullImage, .imageStatus, .version, .imageStatus])
    }

    @Test("a caller cancelled during the latency gets context canceled and nothing happens")
    func cancelledCall() async throws {
        let (mock, _) = try await makeMock()
        await mock.setLatency(.pullImage, seconds: 60)
        let pull = Task { try await mock.pullImage("nginx:1.25", sandboxConfig: nil) }
        #expect(try await eventually { await mock.calls(.pullImage).count == 1 })
        pull.cancel()
        await #expect(throws: RuntimeError.unavailable(call: "PullImage", detail: "context canceled")) { try await pull.value }
        #expect(try await mock.imageStatus("nginx:1.25") == nil)

        await mock.setLatency(.pullImage, seconds: 0)
        _ = try await mock.pullImage("nginx:1.25", sandboxConfig: nil)
    }

    @Test("calls finish in latency order, not arrival order")
    func ordering() async throws {
        let (mock, _) = try await makeMock()
        let (_, id) = try await runContainer(mock)
        await mock.setLatency(.stopContainer, seconds: 2)
        let stop = Task { try await mock.stopContainer(id: id, timeoutSeconds: 1) }
        #expect(try await eventually { await mock.calls(.stopContainer).count == 1 })
        // The status asked after the stop arrived still sees the container running.
        #expect(try await mock.containerStatus(id: id).state == .running)
        try await stop.value
        #expect(try await mock.containerStatus(id: id).state == .exited)
    }
}

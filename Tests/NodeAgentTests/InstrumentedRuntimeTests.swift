import ContainerRuntime
import Foundation
import MockRuntime
import Testing

@testable import NodeAgent

/// Every runtime call is timed into the metrics by the decorator, whoever makes it.
struct InstrumentedRuntimeTests {
    @Test func countsEveryCallByMethodAndItsFailures() async throws {
        let metrics = AgentMetrics()
        let mock = MockRuntime()
        let runtime = InstrumentedRuntime(mock, metrics: metrics)
        _ = try await runtime.version()
        _ = try await runtime.listImages()
        _ = try await runtime.listImages()
        await #expect(throws: RuntimeError.self) { try await runtime.containerStatus(id: "nope") }
        let text = metrics.render(pods: 0, outboxDepth: 0)
        #expect(text.contains(#"kubelet_runtime_operations_total{operation_type="Version"} 1"#))
        #expect(text.contains(#"kubelet_runtime_operations_total{operation_type="ListImages"} 2"#))
        #expect(text.contains(#"kubelet_runtime_operations_total{operation_type="ContainerStatus"} 1"#))
        #expect(text.contains(#"kubelet_runtime_operations_errors_total{operation_type="ContainerStatus"} 1"#))
        #expect(text.contains(#"kubelet_runtime_operations_errors_total{operation_type="Version"} 0"#))
        #expect(await mock.calls().count == 4)
    }

    @Test func rethrowsTheRuntimesErrorUnchanged() async throws {
        let mock = MockRuntime()
        let runtime = InstrumentedRuntime(mock, metrics: AgentMetrics())
        await mock.injectFault(.version, error: .unavailable(call: "Version", detail: "connection refused"))
        let error = await #expect(throws: RuntimeError.self) { try await runtime.version() }
        #expect(error == .unavailable(call: "Version", detail: "connection refused"))
    }
}

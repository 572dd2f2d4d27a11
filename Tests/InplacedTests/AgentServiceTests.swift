import CRIRuntime
import Foundation
import Logging
import NodeAgent
import ServiceLifecycle
import StateStore
import Testing

@testable import inplaced

/// The daemon's agent service under ServiceLifecycle, as systemd stops it.
struct AgentServiceTests {
    /// While the runtime never answers, NodeAgent.start() retries forever; a SIGTERM (graceful
    /// shutdown) must still end the service. Before, it was ignored until SIGKILL.
    @Test("graceful shutdown ends the service while the runtime has not answered yet", .timeLimit(.minutes(1)))
    func shutdownWhileWaitingForTheRuntime() async throws {
        let dir = NSTemporaryDirectory() + "ipd-svc-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir + "/manifests", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let runtime = try CRIRuntime(endpoint: "unix://\(dir)/no-runtime.sock", logger: logger)
        let store = try StateStore(path: dir + "/state.db")
        let config = AgentConfiguration(nodeName: "test-node", podLogRoot: dir + "/logs", podsDirectory: dir + "/pods")
        let agent = NodeAgent(config: config, runtime: runtime, store: store, logger: logger)
        let source = ManifestDirectorySource(directory: dir + "/manifests", logger: logger)
        let service = AgentService(agent: agent, source: source, stopSources: { source.stop() }, runtime: runtime, logger: logger)
        let group = ServiceGroup(
            configuration: .init(
                services: [
                    .init(
                        service: runtime, successTerminationBehavior: .gracefullyShutdownGroup,
                        failureTerminationBehavior: .gracefullyShutdownGroup),
                    .init(
                        service: service, successTerminationBehavior: .gracefullyShutdownGroup,
                        failureTerminationBehavior: .gracefullyShutdownGroup),
                ], logger: logger))
        let running = Task { try await group.run() }
        try await Task.sleep(for: .milliseconds(1500))  // at least one failed Version and its 1 s retry wait
        await group.triggerGracefulShutdown()
        let result = await running.result
        #expect(throws: Never.self) { try result.get() }
        try? store.close()
    }
}

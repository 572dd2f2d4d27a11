import ContainerRuntime
import Foundation
import Logging
import MockRuntime
import NodeAgent
import PodAPI
import ServiceLifecycle
import StateStore
import StatusServer

/// Wires store, runtime, agent, manifest source and status socket, and runs them as one
/// ServiceGroup that stops on SIGTERM or SIGINT. Pods' containers are left running on stop.
struct Daemon {
    let settings: DaemonConfiguration
    let logger: Logger

    func run() async throws {
        let stateDir = settings.stateDir ?? ".inplaced"
        let manifestDir = settings.manifestDir ?? ".inplaced/manifests"
        let socketPath = settings.socketPath ?? ".inplaced/inplaced.sock"
        try FileManager.default.createDirectory(atPath: stateDir, withIntermediateDirectories: true)
        if let group = settings.socketGroup, !SocketGroup.exists(group) {
            throw ConfigError("socketGroup: Invalid value: \"\(group)\": no such group")
        }
        let lock = try StateStore.acquireLock(stateDir: stateDir)
        defer { lock.release() }
        let store = try StateStore(path: stateDir + "/state.sqlite")
        let runtime = try await makeRuntime(stateDir: stateDir)
        let agent = NodeAgent(config: settings.agentConfiguration, runtime: runtime, store: store, logger: logger)
        let source = ManifestDirectorySource(directory: manifestDir, logger: logger)
        let agentService = AgentService(agent: agent, source: source, runtime: runtime, logger: logger)
        let server = StatusServer(provider: agent, socketPath: socketPath, socketGroup: settings.socketGroup, logger: logger)
        logger.info("inplaced starting", metadata: [
            "version": "\(AgentVersion.current)", "node": "\(settings.nodeName ?? "")", "manifests": "\(manifestDir)",
            "state": "\(stateDir)", "runtime": "\(settings.runtime ?? "mock")",
        ])
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: agentService), .init(service: server)],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        try await group.run()
        try? store.close()
        logger.info("inplaced stopped; containers left running")
    }

    private func makeRuntime(stateDir: String) async throws -> any RuntimeService {
        // The seed keeps container IDs of two state directories apart.
        let absolute = URL(fileURLWithPath: stateDir).standardizedFileURL.path
        let mock = try MockRuntime(stateFile: URL(fileURLWithPath: stateDir + "/mock-runtime.json"), idSeed: absolute)
        for (ref, digest) in settings.mockRegistry ?? [:] {
            try await mock.registry(add: ref, digest: digest)
        }
        if settings.mockStrictRegistry != true { await mock.setAutoRegistry(true) }
        return DurableMockRuntime(mock)
    }
}

/// Runs the agent and feeds it the manifest source until graceful shutdown.
struct AgentService: Service {
    let agent: NodeAgent
    let source: ManifestDirectorySource
    let runtime: any RuntimeService
    let logger: Logger

    func run() async throws {
        try await agent.start()
        await withGracefulShutdownHandler {
            await agent.run(source: source)
        } onGracefulShutdown: {
            source.stop()
        }
        await agent.shutdown()
        if let durable = runtime as? DurableMockRuntime { try? await durable.mock.flush() }
    }
}

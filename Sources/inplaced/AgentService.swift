import CRIRuntime
import ContainerRuntime
import Foundation
import Logging
import MockRuntime
import NodeAgent
import PodAPI
import Prometheus
import Reporter
import ServiceLifecycle
import StateStore
import StatusServer
import SystemdSupport

/// Runs the agent and feeds it the manifest source until graceful shutdown.
struct AgentService: Service {
    let agent: NodeAgent
    let source: any PodSource
    /// Stops the sources, so the agent's run ends.
    let stopSources: @Sendable () -> Void
    let runtime: any RuntimeService
    let logger: Logger

    /// Waits for the runtime (``NodeAgent/start()`` retries until it answers), then runs the
    /// agent until graceful shutdown. A shutdown while the runtime has not answered yet ends the
    /// wait: nothing was started, so there is nothing to stop.
    /// - Throws: `CancellationError` when the task is cancelled before the runtime answered.
    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown { try await agent.start() }
        } catch is CancellationError where Task.isShuttingDownGracefully {
            logger.info("shut down before the container runtime answered")
            return
        }
        await withGracefulShutdownHandler {
            await agent.run(source: source)
        } onGracefulShutdown: {
            stopSources()
        }
        await agent.shutdown()
        if let durable = runtime as? DurableMockRuntime { try? await durable.mock.flush() }
    }
}

import APIStore
import ControllerLoops
import Logging
import ServiceLifecycle

/// Runs the control loops while this replica leads; campaigns again when leadership is lost.
struct LeaderLoopService: Service {
    let election: any LeaderElection
    let identity: String
    let manager: ControllerManager
    let logger: Logger

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                logger.info("leader election: campaigning", metadata: ["identity": "\(identity)"])
                let resigned = try await election.runAsLeader(identity: identity) {
                    logger.info("leader election: leading; control loops started", metadata: ["identity": "\(identity)"])
                    await manager.run()
                }
                if resigned { return }
                logger.warning("leader election: leadership lost; control loops stopped", metadata: ["identity": "\(identity)"])
            }
        }
    }
}

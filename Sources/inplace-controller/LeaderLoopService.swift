import APIStore
import ControllerLoops
import Logging
import ServiceLifecycle

/// Runs the control loops while this replica leads; campaigns again when leadership is lost or
/// the store cannot be reached (after 1 s), until graceful shutdown. The API keeps serving
/// meanwhile: a store that is down never takes the process down.
struct LeaderLoopService: Service {
    let election: any LeaderElection
    let identity: String
    let manager: ControllerManager
    let logger: Logger
    /// The loops that work through the API, run beside the manager's while leading.
    let apiLoops: @Sendable () async -> Void

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                logger.info("leader election: campaigning", metadata: ["identity": "\(identity)"])
                do {
                    let resigned = try await election.runAsLeader(identity: identity) {
                        logger.info("leader election: leading; control loops started", metadata: ["identity": "\(identity)"])
                        await withTaskGroup(of: Void.self) { group in
                            group.addTask { await manager.run() }
                            group.addTask { await apiLoops() }
                            await group.waitForAll()
                        }
                    }
                    if resigned { return }
                    logger.warning("leader election: leadership lost; control loops stopped", metadata: ["identity": "\(identity)"])
                } catch is CancellationError {
                    return
                } catch {
                    logger.warning(
                        "leader election: cannot campaign; retrying in 1 s", metadata: ["identity": "\(identity)", "error": "\(error)"])
                    try await Task.sleep(for: .seconds(1))
                }
            }
        }
    }
}

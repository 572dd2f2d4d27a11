import CRIProto
import GRPCCore
import GRPCNIOTransportHTTP2
import Logging
import Synchronization

/// The runtime's connections: calls go on the current one; after ``ConnectionRotation``'s
/// budget of calls a new one is opened and the old one drained (see there for why). Each
/// connection's gRPC client is run by ``run()``.
final class CRIConnections: Sendable {
    private struct State {
        var rotation: ConnectionRotation
        var open: [Int: CRIConnection]
        var shutDown = false
    }

    let endpoint: CRIEndpoint
    private let logger: Logger
    private let state: Mutex<State>
    /// Connections whose clients ``run()`` must run; lane 0 is queued at init.
    private let toRun: AsyncStream<CRIConnection>
    private let toRunContinuation: AsyncStream<CRIConnection>.Continuation

    /// - Parameter callsPerConnection: the most calls one connection carries (≥ 1).
    /// - Throws: gRPC's error when the transport cannot be made for `endpoint`.
    init(endpoint: CRIEndpoint, callsPerConnection: Int, logger: Logger) throws {
        self.endpoint = endpoint
        self.logger = logger
        let first = try CRIConnection(lane: 0, endpoint: endpoint)
        self.state = Mutex(State(rotation: ConnectionRotation(callsPerConnection: callsPerConnection), open: [0: first]))
        (toRun, toRunContinuation) = AsyncStream.makeStream(of: CRIConnection.self)
        toRunContinuation.yield(first)
    }

    /// True once ``shutdown()`` was called.
    var isShutDown: Bool { state.withLock { $0.shutDown } }

    /// Connections opened so far, the first one included.
    var opened: Int { state.withLock { $0.rotation.current + 1 } }

    /// Runs `body` on a connection, counting the call against it.
    func withConnection<R>(_ body: (CRIConnection) async throws -> R) async throws -> R {
        let connection = acquire()
        defer { release(connection) }
        return try await body(connection)
    }

    private func acquire() -> CRIConnection {
        let (connection, retired, opened) = state.withLock { state -> (CRIConnection, CRIConnection?, Bool) in
            // After shutdown: the stopped client answers every call with "shut down".
            guard !state.shutDown else { return (state.open[state.rotation.current]!, nil, false) }
            var next: CRIConnection?
            if state.rotation.rotatesNext {
                do {
                    next = try CRIConnection(lane: state.rotation.current + 1, endpoint: endpoint)
                } catch {
                    // Lane 0 was made for the same endpoint, so this does not happen; if it did,
                    // the call stays on the current connection.
                    logger.error(
                        "CRI connection could not be made; staying on the current one",
                        metadata: ["error": "\(error)"])
                }
            }
            let acquired = state.rotation.acquire(canOpen: next != nil)
            guard acquired.opensLane, let next else { return (state.open[acquired.lane]!, nil, false) }
            state.open[acquired.lane] = next
            let retired = acquired.shutsDown.flatMap { state.open.removeValue(forKey: $0) }
            return (next, retired, true)
        }
        if opened {
            logger.debug("CRI connection opened", metadata: ["lane": "\(connection.lane)"])
            toRunContinuation.yield(connection)
        }
        retired?.client.beginGracefulShutdown()
        return connection
    }

    private func release(_ connection: CRIConnection) {
        let retired = state.withLock { state -> CRIConnection? in
            state.rotation.release(lane: connection.lane).flatMap { state.open.removeValue(forKey: $0) }
        }
        retired?.client.beginGracefulShutdown()
    }

    /// Runs every connection's client until all are shut down (``shutdown()``) or the task is
    /// cancelled. Call once. One connection's end never ends the others: a lane replaced and
    /// shut down before its client ran (gRPC then refuses to run it) is only logged.
    func run() async {
        await withDiscardingTaskGroup { group in
            for await connection in toRun {
                group.addTask { [logger] in
                    do {
                        try await connection.client.runConnections()
                    } catch {
                        logger.debug("CRI connection ended", metadata: ["lane": "\(connection.lane)", "error": "\(error)"])
                    }
                }
            }
        }
    }

    /// Shuts every connection down gracefully (in-flight calls finish); later calls fail as shut
    /// down. Safe to call more than once.
    func shutdown() {
        let open = state.withLock { state -> [CRIConnection] in
            state.shutDown = true
            return Array(state.open.values)
        }
        for connection in open { connection.client.beginGracefulShutdown() }
        toRunContinuation.finish()
    }
}

import Foundation
import Hummingbird
import Logging
import NodeAgent
import ServiceLifecycle
import Synchronization

/// The status socket: HTTP/1.1 + JSON on a unix domain socket, serving what a
/// ``PodStatusProvider`` knows (see ``StatusRoutes`` for the routes).
///
/// A `Service`: `run()` serves until the task running it is cancelled or its service group
/// shuts down gracefully, then removes the socket file it bound.
///
/// Before binding, the socket path is checked: its parent directory is created (0755); a
/// stale socket left by a crash (nobody accepts on it) is removed; a socket a live process
/// accepts on, or any file that is not a socket, makes `run()` throw without touching it.
/// Once bound, the socket gets mode 0660 and, when `socketGroup` is given, that group (the
/// mode is set right after the bind, so for that instant the socket has the umask's mode).
public struct StatusServer: Service {
    /// Where the answers come from.
    public let provider: any PodStatusProvider
    /// The unix socket served.
    public let socketPath: String
    /// The group given the socket, if any.
    public let socketGroup: String?
    /// For the server's own messages.
    public let logger: Logger
    /// Seconds after which an idle connection is closed.
    public let idleTimeoutSeconds: Double
    private let onServerRunning: @Sendable () async -> Void

    /// - Parameters:
    ///   - provider: where pods, updates, events, health and metrics come from.
    ///   - socketPath: the unix socket to serve on (at most 107 bytes on Linux).
    ///   - socketGroup: a group name (or numeric gid) to own the socket, so its members may
    ///     read status; nil keeps the process's group.
    ///   - logger: for the server's own messages.
    ///   - onServerRunning: called once, when the socket is bound, secured and accepting.
    ///   - idleTimeoutSeconds: a connection with no traffic for this long is closed (seconds).
    public init(
        provider: any PodStatusProvider, socketPath: String, socketGroup: String? = nil, logger: Logger,
        idleTimeoutSeconds: Double = 30, onServerRunning: @escaping @Sendable () async -> Void = {}
    ) {
        self.idleTimeoutSeconds = idleTimeoutSeconds
        self.provider = provider
        self.socketPath = socketPath
        self.socketGroup = socketGroup
        self.logger = logger
        self.onServerRunning = onServerRunning
    }

    /// Serves until cancelled or gracefully shut down.
    /// - Throws: ``StatusServerError`` when the socket cannot be set up (`alreadyServing`,
    ///   `notASocket`, `unknownGroup`, `pathTooLong`, `system`); NIO's errors when the bind fails.
    public func run() async throws {
        let path = socketPath
        let gid = try socketGroup.map { try SocketFile.groupID(named: $0) }
        try SocketFile.prepare(path: path)

        let state = RunState()
        let logger = self.logger
        let onServerRunning = self.onServerRunning
        let app = Application(
            router: StatusRoutes.router(provider: provider),
            // A client that goes quiet (or sends half a request) is dropped after 30 s, so idle
            // connections cannot pile up on the daemon.
            server: .http1(
                configuration: .init(idleTimeout: .milliseconds(Int64((min(max(idleTimeoutSeconds, 0.01), 86_400) * 1000).rounded())))),
            configuration: ApplicationConfiguration(address: .unixDomainSocket(path: path), serverName: nil),
            onServerRunning: { channel in
                state.setIdentity(SocketFile.identity(of: path))
                do {
                    try SocketFile.secure(path: path, gid: gid)
                } catch {
                    // Never serve with the wrong permissions: stop, and let run() throw this.
                    state.setFailure(error)
                    try? await channel.close()
                    return
                }
                logger.info("status socket serving", metadata: ["path": "\(path)", "group": "\(gid.map(String.init) ?? "-")"])
                await onServerRunning()
            },
            logger: logger
        )
        do {
            try await Self.serveStoppingGracefully(app, logger: logger)
        } catch {
            SocketFile.remove(path: path, ifStill: state.identity)
            throw state.failure ?? error
        }
        SocketFile.remove(path: path, ifStill: state.identity)
        if let failure = state.failure { throw failure }
    }
}

extension StatusServer {
    /// Runs `app` so that Hummingbird is never cancelled while its listener may hold accepted
    /// connections not yet served: that traps in NIOAsyncWriter's deinit (apple/swift-nio#3481),
    /// and a test or a daemon stopping at the wrong instant took the whole process down with it.
    /// Cancellation of the calling task and graceful shutdown of its service group both become
    /// the app's own graceful shutdown (the listener closes first, open requests finish); only
    /// if that has not ended `cancelAfterSeconds` (seconds) later is the app cancelled, when
    /// nothing new can be accepted any more.
    /// - Throws: what the app throws, unless a stop was asked for.
    static func serveStoppingGracefully(_ app: some Service, logger: Logger, cancelAfterSeconds: Double = 5) async throws {
        let group = ServiceGroup(
            configuration: .init(
                services: [app], gracefulShutdownSignals: [],
                cancellationSignals: [], logger: logger))
        let serving = Task { try await group.run() }
        let stopRequested = Mutex(false)
        let stop: @Sendable () -> Void = {
            let first = stopRequested.withLock { requested in
                defer { requested = true }
                return !requested
            }
            guard first else { return }
            Task {
                await group.triggerGracefulShutdown()
                try? await Task.sleep(for: .seconds(cancelAfterSeconds))
                serving.cancel()
            }
        }
        do {
            try await withTaskCancellationHandler {
                try await withGracefulShutdownHandler {
                    try await serving.value
                } onGracefulShutdown: {
                    stop()
                }
            } onCancel: {
                stop()
            }
        } catch {
            if stopRequested.withLock({ $0 }) { return }
            throw error
        }
    }
}

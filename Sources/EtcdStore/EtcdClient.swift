import APIStore
import GRPCCore
import Logging
import Synchronization

/// A client of an etcd cluster: one gRPC connection per member endpoint, calls made on the
/// member that last answered and, when it is unreachable (gRPC `unavailable`: refused, reset,
/// stopped), tried again on the next endpoint in turn. Shared by ``EtcdKeyValueStore`` and
/// ``EtcdLeaderElection``.
///
/// Lifecycle: keep ``run()`` running while calls are made (or use
/// ``withClient(endpoints:callTimeoutSeconds:logger:_:)``); calls made before it runs wait for
/// the connection until their deadline. ``shutdown()`` ends ``run()``.
///
/// A write retried on the next member after `unavailable` may already have been applied by the
/// first (the connection broke after sending); the compare-and-swap writes of the store then
/// report `alreadyExists` or `conflict` rather than applying twice. A write whose deadline passed
/// is not retried (``call(_:idempotent:_:)``): a loaded member applies it late, and the retry
/// would tell the client "already exists" of its own create.
public final class EtcdClient: Sendable {
    /// The members' connections, in the order the endpoints were given.
    public let connections: [EtcdConnection]
    /// The deadline of one unary call on one member, in seconds.
    public let callTimeoutSeconds: Double
    let logger: Logger
    /// The index in ``connections`` calls go to first.
    private let preferred = Mutex(0)

    /// - Parameters:
    ///   - endpoints: the members, `host:port` each; at least one.
    ///   - callTimeoutSeconds: the deadline of one unary call on one member (default 5 s).
    /// - Throws: `StoreError.unavailable` when `endpoints` is empty or a transport cannot be made.
    public init(endpoints: [EtcdEndpoint], callTimeoutSeconds: Double = 5, logger: Logger) throws(StoreError) {
        guard !endpoints.isEmpty else { throw .unavailable(call: "etcd client", reason: "no endpoint given") }
        var connections: [EtcdConnection] = []
        for endpoint in endpoints {
            do {
                connections.append(try EtcdConnection(endpoint: endpoint))
            } catch {
                throw .unavailable(call: "etcd client", reason: "cannot make a transport for \(endpoint): \(error)")
            }
        }
        self.connections = connections
        self.callTimeoutSeconds = callTimeoutSeconds
        self.logger = logger
    }

    /// Runs every member's connection until ``shutdown()`` or cancellation. Call once.
    public func run() async {
        await withDiscardingTaskGroup { group in
            for connection in connections {
                group.addTask { [logger] in
                    do {
                        try await connection.client.runConnections()
                    } catch {
                        logger.debug("etcd connection ended", metadata: ["endpoint": "\(connection.endpoint)", "error": "\(error)"])
                    }
                }
            }
        }
    }

    /// Closes the connections gracefully (calls in flight finish); ``run()`` then returns.
    public func shutdown() {
        for connection in connections { connection.client.beginGracefulShutdown() }
    }

    /// Makes a client for `endpoints`, runs it for the duration of `body`, shuts it down after.
    /// - Throws: what `init` or `body` throws.
    public static func withClient<T>(
        endpoints: [EtcdEndpoint], callTimeoutSeconds: Double = 5, logger: Logger,
        isolation: isolated (any Actor)? = #isolation,
        _ body: (EtcdClient) async throws -> T
    ) async throws -> T {
        let client = try EtcdClient(endpoints: endpoints, callTimeoutSeconds: callTimeoutSeconds, logger: logger)
        return try await withThrowingTaskGroup(of: Void.self, returning: T.self) { group in
            group.addTask { await client.run() }
            let result: Result<T, any Error>
            do {
                result = .success(try await body(client))
            } catch {
                result = .failure(error)
            }
            client.shutdown()
            while (try? await group.next()) != nil {}
            return try result.get()
        }
    }

    /// The call options of one unary call: ``callTimeoutSeconds``, and no waiting for a member
    /// that is down (the call fails `unavailable` at once and goes to the next member).
    public var unaryOptions: CallOptions {
        var options = CallOptions.defaults
        options.timeout = .milliseconds(Int64(callTimeoutSeconds * 1000))
        options.waitForReady = false
        return options
    }

    /// The call options of a long stream (watch, keep-alive): no deadline, no waiting for a
    /// member that is down.
    public var streamOptions: CallOptions {
        var options = CallOptions.defaults
        options.waitForReady = false
        return options
    }

    /// The index of the member the next call goes to first.
    public var preferredIndex: Int { preferred.withLock { $0 } }

    /// Runs `body` on the preferred member's connection; when it throws gRPC `unavailable` or
    /// (for an idempotent call) `deadlineExceeded`, on the next member's, and so on once around.
    /// The member that answered becomes the preferred.
    /// - Parameters:
    ///   - call: what is attempted, for errors (`etcd KV.Range key=/a`).
    ///   - idempotent: false for a write: after its deadline it may still be applied, so it is not
    ///     sent again; the error says so.
    /// - Throws: `StoreError.unavailable(call:reason:)` with every member's reason when none
    ///   answered, or with the error when `body` failed otherwise (a `StoreError` it throws is
    ///   passed on as is).
    public func call<R: Sendable>(
        _ call: String, idempotent: Bool = true, _ body: (EtcdConnection, CallOptions) async throws -> R
    ) async throws(StoreError) -> R {
        let start = preferredIndex
        var reasons: [String] = []
        for offset in 0..<connections.count {
            let index = (start + offset) % connections.count
            let connection = connections[index]
            do {
                let result = try await body(connection, unaryOptions)
                if offset > 0 {
                    preferred.withLock { $0 = index }
                    logger.info("etcd: calls moved to another member", metadata: ["endpoint": "\(connection.endpoint)"])
                }
                return result
            } catch {
                if let storeError = error as? StoreError { throw storeError }
                guard Self.isUnreachable(error) else { throw Self.map(error, call: call, endpoint: connection.endpoint) }
                if !idempotent, (error as? RPCError)?.code == .deadlineExceeded {
                    throw .unavailable(
                        call: call,
                        reason:
                            "\(connection.endpoint): no answer within \(callTimeoutSeconds) s; the write may still be applied")
                }
                reasons.append("\(connection.endpoint): \(Self.reason(error))")
            }
        }
        throw .unavailable(call: call, reason: "no member answered (\(reasons.joined(separator: "; ")))")
    }

    /// Moves the preferred member to the one after `index` (a stream on it broke).
    func skip(from index: Int) {
        preferred.withLock { current in
            if current == index { current = (index + 1) % connections.count }
        }
    }

    /// True for an error that says the member could not be reached or did not answer in time (so
    /// the next may): `unavailable`, and `deadlineExceeded` (a member being stopped accepts
    /// connections but answers nothing).
    static func isUnreachable(_ error: any Error) -> Bool {
        guard let rpcError = error as? RPCError else { return false }
        return rpcError.code == .unavailable || rpcError.code == .deadlineExceeded
    }

    /// `error` as `StoreError.unavailable(call:reason:)`.
    static func map(_ error: any Error, call: String, endpoint: EtcdEndpoint) -> StoreError {
        if let storeError = error as? StoreError { return storeError }
        if error is CancellationError { return .unavailable(call: call, reason: "cancelled") }
        return .unavailable(call: call, reason: "\(endpoint): \(reason(error))")
    }

    /// gRPC's code and message, or the error's description.
    static func reason(_ error: any Error) -> String {
        if let rpcError = error as? RPCError {
            return rpcError.message.isEmpty ? "\(rpcError.code)" : "\(rpcError.code): \(rpcError.message)"
        }
        if let runtimeError = error as? RuntimeError { return "gRPC client: \(runtimeError.code): \(runtimeError.message)" }
        return "\(error)"
    }
}

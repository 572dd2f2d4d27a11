import CRIProto
import ContainerRuntime
import GRPCCore
import GRPCNIOTransportHTTP2
import Logging
import ServiceLifecycle
import Synchronization

/// A CRI v1 client over a runtime's unix socket (containerd's `io.containerd.grpc.v1.cri`
/// plugin, CRI-O): the real ``ContainerRuntime/RuntimeService`` behind the agent, as kubelet's
/// `remote_runtime.go` / `remote_image.go` are behind kuberuntime.
///
/// Lifecycle: create it, then keep ``run()`` running for as long as calls are made (run it as a
/// ServiceLifecycle `Service`, or use ``withRuntime(endpoint:timeouts:callsPerConnection:logger:isolation:_:)``). ``run()``
/// holds the gRPC connections until the task is cancelled or ``shutdown()`` / graceful shutdown:
/// one HTTP/2 connection at a time, reconnecting with backoff 0.5 s … 5 s when the runtime
/// restarts, and replaced by a new one after `callsPerConnection` calls (``ConnectionRotation``
/// says why: SwiftNIO HTTP/2 drops a connection that receives over 200 PINGs in 30 s, and
/// containerd sends one per call).
///
/// Calls made before ``run()`` has started WAIT: gRPC queues them until the connections run, and
/// each still has its deadline (``CRITimeouts``), so with no ``run()`` at all a call fails after
/// its deadline with `.unavailable(call:detail: "deadline exceeded after N s (the CRI client's
/// connections … are not running …)")`. Once running, a call made while the runtime is
/// unreachable fails fast with `.unavailable` naming the endpoint. Calls made after
/// ``shutdown()`` throw `.unavailable(call:detail: "the CRI client for … is shut down")`.
///
/// Every method throws ``ContainerRuntime/RuntimeError`` only (see ``CRIErrorMapping`` for how
/// gRPC statuses map).
public final class CRIRuntime: RuntimeService, Service {
    /// The parsed endpoint (`unix://<path>`).
    public let endpoint: CRIEndpoint
    /// The deadlines calls are made with.
    public let timeouts: CRITimeouts
    let logger: Logger
    let connections: CRIConnections
    private let phase = Mutex(Phase.notStarted)

    enum Phase { case notStarted, running, ended }

    /// Calls per HTTP/2 connection: 100, half of SwiftNIO HTTP/2's limit of 200 control frames
    /// from the peer in 30 s (containerd sends one PING per call, and a few SETTINGS).
    public static let defaultCallsPerConnection = 100

    /// HTTP/2 connections opened so far (1 before any rotation). For tests and diagnostics.
    public var connectionsOpened: Int { connections.opened }

    /// The largest response accepted, as kubelet's `maxMsgSize`: 16 MiB.
    public static let maxMessageBytes = 16 * 1024 * 1024

    /// Creates the client; it connects only once ``run()`` runs.
    ///
    /// - Parameters:
    ///   - endpoint: `unix:///run/containerd/containerd.sock` or a bare socket path.
    ///   - timeouts: per-call deadlines in seconds.
    ///   - callsPerConnection: the most calls one HTTP/2 connection carries before the next call
    ///     opens a new one (≥ 1; default ``defaultCallsPerConnection``).
    ///   - logger: each call is logged at `trace` (with its latency), each failure at `debug`.
    /// - Throws: ``CRIEndpointError`` for an endpoint that is not a unix socket.
    public init(
        endpoint: String, timeouts: CRITimeouts = .init(),
        callsPerConnection: Int = CRIRuntime.defaultCallsPerConnection, logger: Logger
    ) throws {
        let parsed = try CRIEndpoint(parsing: endpoint)
        self.endpoint = parsed
        self.timeouts = timeouts
        var logger = logger
        logger[metadataKey: "cri-endpoint"] = "\(parsed)"
        self.logger = logger
        self.connections = try CRIConnections(
            endpoint: parsed, callsPerConnection: max(1, callsPerConnection),
            logger: logger)
    }

    /// Runs the gRPC client's connections until the task is cancelled, ``shutdown()`` is called,
    /// or ServiceLifecycle's graceful shutdown begins (then in-flight calls finish first).
    /// Call at most once.
    /// - Throws: gRPC's `RuntimeError` (`clientIsAlreadyRunning`) when called a second time,
    ///   (`clientIsStopped`) after ``shutdown()``.
    public func run() async throws {
        let starts = phase.withLock { phase -> Bool in
            guard phase == .notStarted else { return false }
            phase = .running
            return true
        }
        guard starts else {
            throw GRPCCore.RuntimeError(code: .clientIsAlreadyRunning, message: "CRIRuntime.run() was already called")
        }
        defer { phase.withLock { $0 = .ended } }
        if connections.isShutDown {
            throw GRPCCore.RuntimeError(code: .clientIsStopped, message: "CRIRuntime was shut down before run()")
        }
        await withGracefulShutdownHandler {
            await connections.run()
        } onGracefulShutdown: { [connections] in
            connections.shutdown()
        }
    }

    /// Begins a graceful shutdown: no new calls are accepted, in-flight ones finish, then
    /// ``run()`` returns. Safe to call more than once, and before ``run()`` (which then throws).
    public func shutdown() {
        connections.shutdown()
    }

    /// Creates a runtime, runs its connections in a child task around `body`, and shuts it down
    /// (gracefully) when `body` returns or throws. For tests and the daemon's startup checks.
    /// - Throws: ``CRIEndpointError`` for a bad endpoint; whatever `body` throws.
    /// `body` runs on the caller's actor (`isolation`), so it may touch the caller's state.
    public static func withRuntime<T>(
        endpoint: String, timeouts: CRITimeouts = .init(),
        callsPerConnection: Int = CRIRuntime.defaultCallsPerConnection, logger: Logger,
        isolation: isolated (any Actor)? = #isolation,
        _ body: (CRIRuntime) async throws -> T
    ) async throws -> T {
        let runtime = try CRIRuntime(
            endpoint: endpoint, timeouts: timeouts, callsPerConnection: callsPerConnection,
            logger: logger)
        return try await withThrowingTaskGroup(of: Void.self, returning: T.self) { group in
            group.addTask { try await runtime.run() }
            let result: Result<T, any Error>
            do {
                result = .success(try await body(runtime))
            } catch {
                result = .failure(error)
            }
            runtime.shutdown()
            // The connections' own end (e.g. a transport error) is not the body's business.
            while (try? await group.next()) != nil {}
            return try result.get()
        }
    }

    // MARK: Calls

    /// Calls that may be sent twice with the same effect (reads, and stops and removals, which
    /// CRI makes idempotent): when the connection drops under one ("Stream unexpectedly
    /// closed"), it is sent once more on a new connection before the error reaches the agent.
    static let idempotentCalls: Set<String> = [
        "Version", "PodSandboxStatus", "ListPodSandbox", "ListContainers", "ContainerStatus", "ImageStatus", "ListImages",
        "StopContainer", "RemoveContainer", "StopPodSandbox", "RemovePodSandbox",
    ]

    /// Runs one CRI call with a deadline of `seconds`, mapping its errors (``CRIErrorMapping``).
    /// An idempotent call (``idempotentCalls``) that fails as unavailable is retried once after
    /// 50 ms; the others are not, the agent finds out what happened (it adopts a container whose
    /// CreateContainer answer was lost).
    func invoke<R>(
        _ call: String, deadline seconds: Double, subject: CRIErrorMapping.Subject? = nil,
        _ body: (CRIConnection, CallOptions) async throws -> R
    ) async throws -> R {
        do {
            return try await invokeOnce(call, deadline: seconds, subject: subject, body)
        } catch let e as ContainerRuntime.RuntimeError {
            // Not after a deadline: the call had its time.
            guard case .unavailable(_, let detail) = e, !detail.contains("deadline exceeded"),
                Self.idempotentCalls.contains(call), phase.withLock({ $0 == .running })
            else { throw e }
            try await Task.sleep(nanoseconds: 50_000_000)
            logger.debug("CRI call retried after a dropped connection", metadata: ["call": "\(call)", "error": "\(e)"])
            return try await invokeOnce(call, deadline: seconds, subject: subject, body)
        }
    }

    /// ``invoke(_:deadline:subject:_:)`` for the stops and removals CRI makes idempotent: a
    /// not-found answer about `subject` counts as done (the object is already gone).
    func invokeTreatingNotFoundAsDone<R>(
        _ call: String, subject: CRIErrorMapping.Subject,
        _ body: (CRIConnection, CallOptions) async throws -> R
    ) async throws {
        do {
            _ = try await invoke(call, deadline: timeouts.general, subject: subject, body)
        } catch let error as ContainerRuntime.RuntimeError where error.isNotFound {
            return
        }
    }

    private func invokeOnce<R>(
        _ call: String, deadline seconds: Double, subject: CRIErrorMapping.Subject?,
        _ body: (CRIConnection, CallOptions) async throws -> R
    ) async throws -> R {
        var options = CallOptions.defaults
        options.timeout = seconds.grpcDuration
        // Lists on a busy node can be large; kubelet allows 16 MiB (remote_runtime.go maxMsgSize).
        options.maxResponseMessageBytes = Self.maxMessageBytes
        let clock = ContinuousClock()
        let start = clock.now
        do {
            let result = try await connections.withConnection { try await body($0, options) }
            logger.trace("CRI call", metadata: ["call": "\(call)", "ms": "\(Self.milliseconds(clock.now - start))"])
            return result
        } catch {
            let elapsed = clock.now - start
            let running = phase.withLock { $0 == .running }
            let mapped = CRIErrorMapping.map(
                error, call: call, endpoint: endpoint.description, timeoutSeconds: seconds,
                subject: subject, clientRunning: running,
                elapsedSeconds: Self.seconds(elapsed))
            logger.debug(
                "CRI call failed",
                metadata: [
                    "call": "\(call)", "ms": "\(Self.milliseconds(elapsed))", "error": "\(mapped)", "grpc-error": "\(error)",
                ])
            throw mapped
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    static func milliseconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let ms = Double(seconds) * 1000 + Double(attoseconds) / 1e15
        return String(Double(Int((ms * 10).rounded())) / 10)
    }

    // MARK: Version

    /// CRI `Version`: `runtimeName` is the runtime's own name (`containerd`, `cri-o`),
    /// `runtimeVersion` its version (`1.6.20`), `runtimeAPIVersion` the CRI version (`v1`).
    /// - Throws: `.unavailable` when the socket is missing or refuses, `.failed` otherwise.
    public func version() async throws -> RuntimeVersion {
        var request = Runtime_V1_VersionRequest()
        request.version = "v1"
        let response = try await invoke("Version", deadline: timeouts.general) { connection, options in
            try await connection.runtime.version(request, options: options)
        }
        return RuntimeVersion(
            runtimeName: response.runtimeName, runtimeVersion: response.runtimeVersion,
            runtimeAPIVersion: response.runtimeApiVersion)
    }
}

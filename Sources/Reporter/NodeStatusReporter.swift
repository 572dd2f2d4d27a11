import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import ServiceLifecycle

/// The node heartbeat: `PUT {url}/api/v1/nodes/{node}/status` with a core/v1 Node
/// (`Content-Type: application/json`) right away and then every `interval` seconds (measured from
/// the start of one heartbeat to the start of the next; a heartbeat that overruns is not
/// followed by a burst). A failed heartbeat is logged and kept in `state`; the next one is the
/// retry.
///
/// A `Service`: `run()` returns when its task is cancelled or on graceful shutdown.
public final class NodeStatusReporter: Service, Sendable {
    public let endpoint: ControllerEndpoint
    public let nodeName: String
    /// Seconds between heartbeats.
    public let interval: TimeInterval
    private let host: HostInfo
    private let info: @Sendable () async -> NodeHeartbeatInfo
    private let observer: (any ReporterObserver)?
    private let logger: Logger
    private let now: @Sendable () -> Date
    private let shared: NIOLockedValueBox<Shared>

    private struct Shared {
        var state: NodeHeartbeatState
        /// The Ready value last sent and when it became that value.
        var ready: (value: Bool, since: Date)?
        var started = false
    }

    /// - Parameters:
    ///   - interval: seconds between heartbeats (default 10, > 0).
    ///   - host: machine facts for `nodeInfo` (default `HostInfo.current()`).
    ///   - now: the wall clock, for the condition times and the state's timestamps.
    ///   - info: asked before each heartbeat: readiness, runtime name and version, agent version,
    ///     pod capacity. Keep it quick (it should read cached values).
    /// - Throws: `ReporterError.invalidConfiguration` when `interval` is not positive.
    public init(
        endpoint: ControllerEndpoint, nodeName: String, interval: TimeInterval = 10,
        host: HostInfo = .current(), observer: (any ReporterObserver)? = nil,
        logger: Logger = Logger(label: "inplaced.heartbeat"), now: @escaping @Sendable () -> Date = { Date() },
        info: @escaping @Sendable () async -> NodeHeartbeatInfo
    ) throws(ReporterError) {
        guard interval > 0, interval.isFinite else {
            throw .invalidConfiguration(detail: "the node status interval must be a positive number of seconds, got \(interval)")
        }
        self.endpoint = endpoint
        self.nodeName = nodeName
        self.interval = interval
        self.host = host
        self.info = info
        self.observer = observer
        self.logger = logger
        self.now = now
        shared = NIOLockedValueBox(Shared(state: NodeHeartbeatState(controllerURL: endpoint.url, nodeName: nodeName)))
    }

    /// The heartbeat state now. Never blocks.
    public var state: NodeHeartbeatState {
        shared.withLockedValue { $0.state }
    }

    /// Sends heartbeats until cancelled or until graceful shutdown.
    /// - Throws: `ReporterError.invalidConfiguration` when called a second time. Heartbeat
    ///   failures are not thrown.
    public func run() async throws {
        let first = shared.withLockedValue { shared in
            defer { shared.started = true }
            return !shared.started
        }
        guard first else { throw ReporterError.invalidConfiguration(detail: "NodeStatusReporter.run() called twice") }
        let client = ControllerClient(endpoint: endpoint, connections: 1, logger: logger)
        await cancelWhenGracefulShutdown { await self.loop(client) }
        await client.shutdown()
    }

    private func loop(_ client: ControllerClient) async {
        let clock = ContinuousClock()
        let period = Duration.seconds(interval)
        var next = clock.now
        while !Task.isCancelled {
            await beat(client)
            next = next.advanced(by: period)
            if next < clock.now { next = clock.now.advanced(by: period) }
            do { try await Task.sleep(until: next, clock: clock) } catch { return }
        }
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// Sends one heartbeat.
    private func beat(_ client: ControllerClient) async {
        let info = await self.info()
        let at = now()
        let readySince = shared.withLockedValue { shared -> Date in
            if let ready = shared.ready, ready.value == info.ready { return ready.since }
            shared.ready = (info.ready, at)
            return at
        }
        let node = NodeHeartbeat.node(name: nodeName, info: info, host: host, now: at, readySince: readySince)
        let path = ControllerEndpoint.nodeStatusPath(node: nodeName)
        let request = "PUT \(endpoint.url)\(path)"
        var failure: DeliveryFailure?
        do {
            let credentials = try client.credentials()
            let body = ByteBuffer(bytes: try Self.encoder.encode(node))
            let response = try await client.send(
                method: .PUT, path: path, contentType: "application/json", body: body,
                bearer: credentials.bearer)
            failure = DeliveryFailure.from(response: response, request: request, now: at)
        } catch let error as ReporterError {
            failure = DeliveryFailure.from(credentials: error)
        } catch {
            if Task.isCancelled { return }
            failure = DeliveryFailure.from(error: error, request: request, timeout: client.endpoint.requestTimeout)
        }
        let end = now()
        let wasFailing = shared.withLockedValue { shared -> Bool in
            let wasFailing = (shared.state.lastErrorAt ?? .distantPast) > (shared.state.lastSuccessAt ?? .distantPast)
            if let failure {
                shared.state.failed += 1
                shared.state.lastError = failure.message
                shared.state.lastErrorAt = end
            } else {
                shared.state.sent += 1
                shared.state.lastSuccessAt = end
            }
            return wasFailing
        }
        observer?.heartbeatFinished(failure: failure?.kind)
        if let failure {
            let metadata: Logger.Metadata = ["node": "\(nodeName)", "kind": "\(failure.kind.rawValue)", "error": "\(failure.message)"]
            if wasFailing {
                logger.debug("heartbeat: failed", metadata: metadata)
            } else {
                logger.warning("heartbeat: cannot send the node status", metadata: metadata)
            }
        } else if wasFailing {
            logger.info("heartbeat: the controller accepts the node status again", metadata: ["node": "\(nodeName)"])
        }
    }
}

import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import ServiceLifecycle

/// The node heartbeat, as kubelet's node lease and node status loops: registration, the Lease
/// renewed and the status patched right away and then every `interval` seconds (measured from
/// the start of one heartbeat to the start of the next; a heartbeat that overruns is not
/// followed by a burst). A failed heartbeat is logged and kept in `state`; the next one is the
/// retry.
///
/// A `Service`: `run()` returns when its task is cancelled or on graceful shutdown.
public final class NodeStatusReporter: Service, Sendable {
    public let endpoint: ControllerEndpoint
    public let nodeName: String
    /// Seconds between heartbeats: lease renewals (kubelet: 10 s).
    public let interval: TimeInterval
    /// Seconds after which an unchanged node status is patched again (kubelet's
    /// nodeStatusReportFrequency, 5 minutes).
    public let statusReportSeconds: TimeInterval = 300
    private let host: HostInfo
    private let info: @Sendable () async -> NodeHeartbeatInfo
    private let onReconnect: @Sendable () async -> Void
    private let observer: (any ReporterObserver)?
    private let logger: Logger
    private let now: @Sendable () -> Date
    private let shared: NIOLockedValueBox<Shared>

    private struct Shared {
        var state: NodeHeartbeatState
        /// The Ready value last sent and when it became that value.
        var ready: (value: Bool, since: Date)?
        var started = false
        var registered = false
        /// Whether a Ready node status was accepted since start.
        var reportedReady = false
        /// The node status last accepted (without heartbeat times) and when.
        var lastStatus: String?
        var lastStatusAt: Date?
    }

    /// - Parameters:
    ///   - interval: seconds between heartbeats (default 10, > 0).
    ///   - host: machine facts for `nodeInfo` (default `HostInfo.current()`).
    ///   - now: the wall clock, for the condition times and the state's timestamps.
    ///   - onReconnect: called when a heartbeat gets through after one or more failed.
    ///   - info: asked before each heartbeat: readiness, runtime name and version, agent version,
    ///     pod capacity. Keep it quick (it should read cached values).
    /// - Throws: `ReporterError.invalidConfiguration` when `interval` is not positive.
    public init(
        endpoint: ControllerEndpoint, nodeName: String, interval: TimeInterval = 10,
        host: HostInfo = .current(), observer: (any ReporterObserver)? = nil,
        logger: Logger = Logger(label: "inplaced.heartbeat"), now: @escaping @Sendable () -> Date = { Date() },
        onReconnect: @escaping @Sendable () async -> Void = {},
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
        self.onReconnect = onReconnect
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
            // Until the node has been reported Ready once, beat every 0.5 s (kubelet's fast
            // status updates at start), so a new node is schedulable within a second.
            let ready = shared.withLockedValue { $0.reportedReady }
            if !ready { next = min(next, clock.now.advanced(by: .milliseconds(500))) }
            do { try await Task.sleep(until: next, clock: clock) } catch { return }
        }
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// Sends one heartbeat, as kubelet does: the Node is registered first (`POST /api/v1/nodes`;
    /// 409 AlreadyExists counts as registered), then the node Lease is renewed
    /// (`PUT .../kube-node-lease/leases/{node}`, created by `POST` when absent: holder the node,
    /// 40 s duration, renewTime now) and the node status patched
    /// (`PATCH /api/v1/nodes/{node}/status`, strategic merge patch) when it changed or
    /// `statusReportSeconds` passed. A 404 of the status patch registers the node again.
    private func beat(_ client: ControllerClient) async {
        let info = await self.info()
        let at = now()
        let readySince = shared.withLockedValue { shared -> Date in
            if let ready = shared.ready, ready.value == info.ready { return ready.since }
            shared.ready = (info.ready, at)
            return at
        }
        let node = NodeHeartbeat.node(name: nodeName, info: info, host: host, now: at, readySince: readySince)
        var failure: DeliveryFailure?
        var request = ""
        do {
            let credentials = try client.credentials()
            let bearer = credentials.bearer
            if !shared.withLockedValue({ $0.registered }) {
                request = "POST \(endpoint.url)/api/v1/nodes"
                var registration = node
                registration.metadata.labels = NodeHeartbeat.labels(nodeName: nodeName, host: host)
                let response = try await client.send(
                    method: .POST, path: "/api/v1/nodes", contentType: "application/json",
                    body: ByteBuffer(bytes: try Self.encoder.encode(registration)), bearer: bearer)
                if response.status == 409 || (200..<300).contains(response.status) {
                    shared.withLockedValue { $0.registered = true }
                    logger.info("heartbeat: node registered", metadata: ["node": "\(nodeName)", "status": "\(response.status)"])
                } else {
                    failure = DeliveryFailure.from(response: response, request: request, now: at)
                }
            }
            if failure == nil {
                failure = try await renewLease(client, bearer: bearer, at: at, request: &request)
            }
            let fingerprint = NodeHeartbeat.fingerprint(node)
            let due = shared.withLockedValue { s in
                s.lastStatus != fingerprint || at.timeIntervalSince(s.lastStatusAt ?? .distantPast) >= statusReportSeconds
            }
            if failure == nil, due {
                let path = ControllerEndpoint.nodeStatusPath(node: nodeName)
                request = "PATCH \(endpoint.url)\(path)"
                let response = try await client.send(
                    method: .PATCH, path: path, contentType: "application/strategic-merge-patch+json",
                    body: ByteBuffer(bytes: try Self.encoder.encode(NodeStatusPatch(status: node.status))), bearer: bearer)
                if response.status == 404 { shared.withLockedValue { $0.registered = false } }
                failure = DeliveryFailure.from(response: response, request: request, now: at)
                if failure == nil {
                    shared.withLockedValue { s in
                        s.lastStatus = fingerprint
                        s.lastStatusAt = at
                        if info.ready { s.reportedReady = true }
                    }
                }
            }
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
            await onReconnect()
        }
    }
}

extension NodeStatusReporter {
    /// Renews the node Lease (creating it when the PUT finds none).
    /// - Returns: the failure, nil when the lease was written.
    func renewLease(_ client: ControllerClient, bearer: String?, at: Date, request: inout String) async throws -> DeliveryFailure? {
        let path = "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/" + ControllerEndpoint.segment(nodeName)
        let lease = NodeLease(nodeName: nodeName, durationSeconds: leaseDurationSeconds, renewTime: at)
        request = "PUT \(endpoint.url)\(path)"
        let body = ByteBuffer(bytes: try JSONEncoder().encode(lease))
        var response = try await client.send(method: .PUT, path: path, contentType: "application/json", body: body, bearer: bearer)
        if response.status == 404 {
            request = "POST \(endpoint.url)/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases"
            response = try await client.send(
                method: .POST, path: "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases", contentType: "application/json",
                body: body, bearer: bearer)
        }
        return DeliveryFailure.from(response: response, request: request, now: at)
    }

    /// The lease's duration (kubelet's nodeLeaseDurationSeconds: 40).
    var leaseDurationSeconds: Int { 40 }
}

import Foundation
import Logging
import NIOConcurrencyHelpers
import ServiceLifecycle
import StateStore

/// Delivers the store's status outbox to the controller:
/// `PATCH {url}/api/v1/namespaces/{ns}/pods/{name}/status`, `Content-Type:
/// application/merge-patch+json`, body `{"status": <OutboxRecord.statusJSON as stored>}`.
///
/// - One request in flight per pod, at most `maxConcurrentDeliveries` in all. The store keeps only
///   a pod's newest status, and a success calls `markDelivered(podUID:seq:)`, which leaves a status
///   queued meanwhile for the next round: a pod's statuses are never sent out of order.
/// - Wakes on `notify()`, when a delivery finishes, and every `pollInterval` seconds. A look at
///   the outbox reads up to `readAhead` due rows more than it has free slots for; slots freed
///   later take those rows without reading the outbox again, until `notify()` says a status was
///   queued or `pollInterval` passed (a read of 1,000 queued rows takes milliseconds).
/// - When a status gets through after the controller was unreachable or failing, every status
///   waiting out a back-off is sent at once (see `StatusReporterConfiguration.recoveryResetInterval`).
/// - Failures are written back with `recordDeliveryFailure` (see `StatusReporterConfiguration`
///   for the retry policy); nothing is dropped while the daemon runs or across restarts.
/// - Store access goes through `readAsync`/`writeAsync`; the agent only ever calls `notify()`
///   and reads `state`, neither of which waits for the network or the store.
///
/// A `Service`: `run()` returns when its task is cancelled or on graceful shutdown (requests in
/// flight are cancelled; their rows stay queued). Call `run()` once.
public final class StatusReporter: Service, Sendable {
    public let configuration: StatusReporterConfiguration
    let store: StateStore
    let observer: (any ReporterObserver)?
    let logger: Logger
    let now: @Sendable () -> Date
    private let wakeStream: AsyncStream<Void>
    private let wakeContinuation: AsyncStream<Void>.Continuation
    let shared: NIOLockedValueBox<Shared>

    struct Shared {
        var state: ReporterState
        /// Pods with a request in flight.
        var inFlight: Set<String> = []
        /// Consecutive failures per pod seen by this process (the back-off exponent). Unknown pods
        /// start from the row's stored `attempts`.
        var streaks: [String: Int] = [:]
        /// Pods whose last attempt was rejected (4xx), waiting `rejectedRetryInterval`.
        var rejected: [String: Rejection] = [:]
        /// Finished dispatch rounds (tests wait on it).
        var rounds = 0
        var started = false
        /// Due rows read at the last look at the outbox beyond the free slots, oldest first, for
        /// slots freed later. Never holds a pod in flight.
        var ready: [OutboxRecord] = []
        /// When `ready` was read.
        var readyAt = Date.distantPast
        /// A status may have been queued or replaced since the last read (`notify()`): `ready` is
        /// not used.
        var outboxChanged = true
        /// The last delivery failed as if the controller were unreachable (connection, timeout,
        /// TLS, 5xx).
        var unavailable = false
        /// When back-offs were last made due (`controllerReachable()` or a recovery seen here).
        var lastReset: Date?
    }

    /// Due rows read beyond the free slots at each look at the outbox.
    static let readAhead = 64

    struct Rejection {
        var seq: Int64
        var httpStatus: Int?
        var tokenGeneration: Int
    }

    /// One row to send, with the credentials read for its batch.
    struct Delivery: Sendable {
        var record: OutboxRecord
        var bearer: String?
        var tokenGeneration: Int
    }

    /// - Parameters:
    ///   - store: the agent's store (the reporter only reads the outbox and writes delivery results).
    ///   - observer: receives latencies and failures, for metrics.
    ///   - now: the wall clock (tests pass a controllable one); used for due times, back-off
    ///     deadlines, latencies and the state's timestamps.
    ///   - notifications: the outbox writers' signal (the daemon's); each signal is a ``notify()``.
    public init(
        store: StateStore, configuration: StatusReporterConfiguration, observer: (any ReporterObserver)? = nil,
        logger: Logger = Logger(label: "inplaced.reporter"), now: @escaping @Sendable () -> Date = { Date() },
        notifications: OutboxNotifications? = nil
    ) {
        self.notifications = notifications
        self.store = store
        self.configuration = configuration
        self.observer = observer
        self.logger = logger
        self.now = now
        (wakeStream, wakeContinuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        shared = NIOLockedValueBox(Shared(state: ReporterState(controllerURL: configuration.endpoint.url)))
    }

    private let notifications: OutboxNotifications?

    /// Asks the reporter to look at the outbox now (call after queueing a status). Never blocks;
    /// calls while a look is pending are coalesced.
    public func notify() {
        shared.withLockedValue { $0.outboxChanged = true }
        wakeContinuation.yield()
    }

    /// The controller answers again (a heartbeat got through after failures): every status
    /// waiting out a back-off is sent now rather than up to 60 s later.
    public func controllerReachable() async {
        let at = now()
        shared.withLockedValue { $0.lastReset = at }
        await makeDue(except: [])
    }

    /// Makes the statuses waiting out a back-off due now, but those of `excluded`, and looks at
    /// the outbox.
    func makeDue(except excluded: Set<String>) async {
        do {
            let waiting = try await uncancellableWrite { tx in try tx.makeOutboxDue(except: excluded) }
            if waiting > 0 {
                logger.info("reporter: the controller is back; sending the waiting statuses", metadata: ["statuses": "\(waiting)"])
            }
        } catch {
            logger.warning("reporter: cannot reset the back-offs", metadata: ["error": "\(error)"])
        }
        notify()
    }

    /// The delivery state now. Never blocks on the network or the store.
    public var state: ReporterState {
        shared.withLockedValue { $0.state }
    }

    /// Delivers until cancelled or until graceful shutdown.
    /// - Throws: `ReporterError.invalidConfiguration` when called a second time. Delivery and
    ///   store errors are not thrown: they are logged, kept in `state` and retried.
    public func run() async throws {
        let first = shared.withLockedValue { shared in
            defer { shared.started = true }
            return !shared.started
        }
        guard first else { throw ReporterError.invalidConfiguration(detail: "StatusReporter.run() called twice") }
        let client = ControllerClient(
            endpoint: configuration.endpoint,
            connections: configuration.maxConcurrentDeliveries, logger: logger)
        logger.info("reporter: delivering pod statuses", metadata: ["controller": "\(configuration.endpoint.url)"])
        await cancelWhenGracefulShutdown { await self.loop(client) }
        await client.shutdown()
    }

    private func loop(_ client: ControllerClient) async {
        await withDiscardingTaskGroup { group in
            group.addTask { await self.tick() }
            if let notifications {
                group.addTask {
                    for await _ in notifications.stream { self.notify() }
                }
            }
            var wake = wakeStream.makeAsyncIterator()
            while !Task.isCancelled {
                for delivery in await claim(client) {
                    group.addTask { await self.deliver(delivery, client) }
                }
                shared.withLockedValue { $0.rounds += 1 }
                guard await wake.next() != nil else { break }
            }
            group.cancelAll()
        }
    }

    /// The poll fallback.
    private func tick() async {
        let interval = Duration.seconds(configuration.pollInterval)
        while !Task.isCancelled {
            do { try await Task.sleep(for: interval) } catch { return }
            wakeContinuation.yield()
        }
    }

    /// Reads the due rows, the queue depth and the rows of rejected pods; reads the credentials;
    /// marks the chosen pods in flight. Takes the rows read ahead last time instead when they are
    /// still good (no status queued since, not older than a poll interval).
    private func claim(_ client: ControllerClient) async -> [Delivery] {
        let at = now()
        let (inFlight, rejected) = shared.withLockedValue { ($0.inFlight, $0.rejected) }
        let free = configuration.maxConcurrentDeliveries - inFlight.count
        guard free > 0 else {
            // Every slot is busy: only refresh the queue depth.
            if let depth = try? await store.readAsync({ try $0.outboxDepth() }) {
                shared.withLockedValue { $0.state.queueDepth = depth }
            }
            return []
        }
        let readAhead = shared.withLockedValue { shared -> [OutboxRecord] in
            let age = at.timeIntervalSince(shared.readyAt)
            guard !shared.outboxChanged, age >= 0, age < configuration.pollInterval else { return [] }
            let inFlight = shared.inFlight
            shared.ready.removeAll { inFlight.contains($0.podUID) }
            let rows = Array(shared.ready.prefix(free))
            shared.ready.removeFirst(rows.count)
            return rows
        }
        if !readAhead.isEmpty { return await dispatch(readAhead, client) }

        let rejectedPods = Array(rejected.keys.filter { !inFlight.contains($0) }.prefix(64))
        let limit = free + inFlight.count + Self.readAhead
        // Cleared before the read: a status queued during it leaves the flag set for the next look.
        shared.withLockedValue { $0.outboxChanged = false }
        let due: [OutboxRecord]
        let depth: Int
        let waiting: [OutboxRecord]
        do {
            (due, depth, waiting) = try await store.readAsync { reader in
                (
                    try reader.pendingStatuses(limit: limit, now: at), try reader.outboxDepth(),
                    try rejectedPods.compactMap { try reader.outboxEntry(podUID: $0) }
                )
            }
        } catch {
            if !Task.isCancelled { noteStoreError("reading the outbox", error) }
            return []
        }
        let waitingPods = Set(waiting.map(\.podUID))
        shared.withLockedValue { shared in
            shared.state.queueDepth = depth
            for pod in rejectedPods where !waitingPods.contains(pod) { shared.rejected[pod] = nil }
        }
        var candidates = due.filter { !inFlight.contains($0.podUID) }
        shared.withLockedValue { shared in
            shared.ready = Array(candidates.dropFirst(free))
            shared.readyAt = at
        }
        candidates = Array(candidates.prefix(free))
        guard !candidates.isEmpty || !waiting.isEmpty else { return [] }

        let credentials: (bearer: String?, generation: Int)
        do {
            credentials = try client.credentials()
        } catch {
            let refused = Array(candidates.prefix(free))
            if !refused.isEmpty { _ = await recordFailure(refused, DeliveryFailure.from(credentials: error), tokenGeneration: 0) }
            return []
        }
        let chosenPods = Set(candidates.map(\.podUID))
        for entry in waiting where !chosenPods.contains(entry.podUID) {
            guard let rejection = rejected[entry.podUID] else { continue }
            let tokenChanged =
                (rejection.httpStatus == 401 || rejection.httpStatus == 403)
                && credentials.generation != rejection.tokenGeneration
            if entry.seq != rejection.seq || tokenChanged { candidates.append(entry) }
        }
        let chosen = candidates.prefix(free)
        return markInFlight(Array(chosen), credentials: credentials)
    }

    /// Sends rows read ahead: reads the credentials and marks the pods in flight.
    private func dispatch(_ rows: [OutboxRecord], _ client: ControllerClient) async -> [Delivery] {
        do {
            return markInFlight(rows, credentials: try client.credentials())
        } catch {
            _ = await recordFailure(rows, DeliveryFailure.from(credentials: error), tokenGeneration: 0)
            return []
        }
    }

    private func markInFlight(_ rows: [OutboxRecord], credentials: (bearer: String?, generation: Int)) -> [Delivery] {
        shared.withLockedValue { shared in
            for row in rows {
                shared.inFlight.insert(row.podUID)
                shared.rejected[row.podUID] = nil
            }
            shared.state.inFlight = shared.inFlight.count
        }
        return rows.map { Delivery(record: $0, bearer: credentials.bearer, tokenGeneration: credentials.generation) }
    }

    /// Runs a store write to its end even when the calling task is being cancelled (GRDB's async
    /// accessors refuse to start in a cancelled task): a delivery that happened is recorded.
    func uncancellableWrite<T: Sendable>(_ body: @escaping @Sendable (StoreTransaction) throws -> T) async throws -> T {
        let store = self.store
        return try await Task { try await store.writeAsync(body) }.value
    }

    func wake() {
        wakeContinuation.yield()
    }

    func noteStoreError(_ doing: String, _ error: any Error) {
        let at = now()
        let message = "\(doing): \(error)"
        shared.withLockedValue { shared in
            shared.state.lastError = message
            shared.state.lastErrorAt = at
        }
        logger.error("reporter: state store error", metadata: ["while": "\(doing)", "error": "\(error)"])
    }

    // MARK: - Test support

    /// Finished dispatch rounds so far.
    var rounds: Int { shared.withLockedValue { $0.rounds } }
}

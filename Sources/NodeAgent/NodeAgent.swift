import ContainerRuntime
import Foundation
import Logging
import PodAPI
import Prober
import StateStore

/// The node agent: takes desired pods from a ``PodSource``, keeps them in the store, runs one
/// worker per pod to make the runtime match, relists the runtime to notice what changed on its
/// own, and answers the status socket. The runtime backend plugs in through ``RuntimeService``;
/// every call to it goes through an ``InstrumentedRuntime`` that times it into ``metrics``.
public actor NodeAgent: PodStatusProvider {
    public let config: AgentConfiguration
    private let runtime: any RuntimeService
    let store: StateStore
    let logger: Logger
    let statuses = StatusCache()
    /// The agent's metrics, in the registry its owner (the daemon) handed over.
    public nonisolated let metrics: AgentMetrics
    /// Told each time a pod's status is queued in the outbox (the reporter's wake-up).
    let outbox: OutboxNotifications?
    private let hooks: AgentHooks
    private var publisher: StatusPublisher?
    private let probes: ProbeManager
    private var syncer: PodSyncer?
    private var workers: PodWorkers?
    private var relister: Relister?
    private var tasks: [Task<Void, Never>] = []
    private var runtimeVersion = RuntimeVersion(runtimeName: "unknown", runtimeVersion: "", runtimeAPIVersion: "")
    private var manifestErrors: [ManifestError] = []
    private var manifestWarnings: [String] = []
    /// Updates refused by admission, by pod UID: the error shown until the file changes again.
    private var rejected: [String: ManifestError] = [:]
    /// The desired pods as last stored, by `namespace/name`, decoded once (the store is the truth;
    /// this spares decoding every pod on every manifest event).
    private var known = KnownPods()
    /// A snapshot whose pods could not all be stored (disk full, ...): applied again shortly.
    private var retry: Task<Void, Never>?
    /// The pods of each manifest file (source) one of whose pods could not be stored, as that
    /// snapshot gave them, with the errors said: retried every 2 s until stored, and kept until a
    /// snapshot covering the file supersedes them (a partial snapshot of other files does not).
    private var unstored: [String: (entries: [DesiredPods.Entry], errors: [ManifestError])] = [:]
    private var applied = 0

    /// - Parameters:
    ///   - hooks: fault injection for tests; `.none` in production.
    ///   - probeHandler: runs the containers' probes; nil: ``ProbeRunner`` (exec through
    ///     `runtime`, httpGet, tcpSocket) with `User-Agent: kube-probe/<major.minor of version>`.
    ///   - probeClock: the probe workers' clock (tests); nil: the wall clock.
    ///   - metrics: where the agent's metrics go (the daemon's registry); nil: a registry of its own.
    ///   - outbox: signalled each time a status is queued in the outbox; nil: nobody listens.
    public init(
        config: AgentConfiguration, runtime: any RuntimeService, store: StateStore, logger: Logger, hooks: AgentHooks = .none,
        probeHandler: (any ProbeHandler)? = nil, probeClock: (any ProbeClock)? = nil,
        metrics: AgentMetrics? = nil, outbox: OutboxNotifications? = nil
    ) {
        let metrics = metrics ?? AgentMetrics()
        let runtime = InstrumentedRuntime(runtime, metrics: metrics)
        let userAgent = "kube-probe/" + config.version.split(separator: ".").prefix(2).joined(separator: ".")
        probes = ProbeManager(
            handler: probeHandler ?? ProbeRunner(runtime: runtime, userAgent: userAgent), store: store,
            clock: probeClock ?? SystemProbeClock(), logger: logger)
        self.metrics = metrics
        self.outbox = outbox
        self.config = config
        self.runtime = runtime
        self.store = store
        self.logger = logger
        self.hooks = hooks
    }

    /// Connects to the runtime (retrying every second until it answers or the task is
    /// cancelled), adopts the pods the store holds — containers whose spec did not change keep
    /// running —, and starts the relister.
    /// - Throws: `CancellationError` when cancelled before the runtime answered.
    public func start() async throws {
        while true {
            do {
                runtimeVersion = try await runtime.version()
                break
            } catch {
                logger.error("container runtime not ready, retrying", metadata: ["error": "\(error)"])
                try await Task.sleep(nanoseconds: 1_000_000_000)
            }
        }
        let backoff = Backoff(base: config.backoffBaseSeconds, max: config.backoffMaxSeconds)
        let ctx = SyncContext(
            runtime: runtime, store: store, backoff: backoff, probes: probes, hooks: hooks, metrics: metrics,
            settings: SyncSettings(config, runtimeName: runtimeVersion.runtimeName), logger: logger)
        let publisher = StatusPublisher(
            store: store, statuses: statuses, probes: probes, nodeName: config.nodeName, nodeIP: config.nodeIP,
            runtimeName: runtimeVersion.runtimeName, outbox: outbox)
        self.publisher = publisher
        let syncer = PodSyncer(ctx: ctx, publisher: publisher)
        self.syncer = syncer
        let workers = PodWorkers(syncer: syncer, maxConcurrent: config.maxConcurrentSyncs, logger: logger)
        self.workers = workers
        // A probe result that changes syncs its pod at once (status, kills, the in-place gate).
        probes.setOnChange { uid in await workers.sync(uid) }
        let pods = try store.read { r in try r.pods() }
        for p in pods {
            if let pod = try? JSONDecoder().decode(Pod.self, from: Data(p.podJSON.utf8)) {
                known["\(p.namespace)/\(p.name)"] = (Self.withoutJSON(p), pod)
                syncer.decoded.remember(uid: p.uid, json: p.podJSON, pod: pod)
            }
            await workers.sync(p.uid)
        }
        let relister = Relister(
            runtime: runtime, period: config.relistPeriodSeconds, eventedPeriod: config.eventedRelistPeriodSeconds,
            metrics: metrics, logger: logger
        ) { uids in
            for u in uids { await workers.sync(u) }
        }
        self.relister = relister
        // Subscribed before the first relist, so no change falls between the two (evented PLEG).
        let events = config.eventedPLEG ? await relister.subscribe() : nil
        await relister.relist()
        if let events { tasks.append(Task { await relister.follow(events) }) }
        tasks.append(Task { await relister.run() })
        if config.resyncPeriodSeconds > 0 {
            let period = config.resyncPeriodSeconds
            let store = self.store
            tasks.append(
                Task {
                    while !Task.isCancelled {
                        try? await Task.sleep(nanoseconds: UInt64(min(max(period, 1), 86_400) * 1e9))
                        guard let all = try? store.read({ r in try r.pods() }) else { continue }
                        for p in all { await workers.sync(p.uid) }
                    }
                })
        }
        logger.info(
            "agent started",
            metadata: ["runtime": "\(runtimeVersion.runtimeName) \(runtimeVersion.runtimeVersion)", "pods": "\(pods.count)"])
    }

    /// Consumes a source until it ends or the task is cancelled.
    public func run(source: any PodSource) async {
        for await snapshot in source.snapshots() {
            if Task.isCancelled { break }
            await apply(snapshot)
        }
    }

    /// Applies a source's whole desired state in three stages: the diff against the pods the
    /// agent knows (``DesiredPodsDiff``), admission (``PodAdmission``: update policy, UIDs), and
    /// the record (the store, then the pod's worker). New pods are added, changed pods updated (in
    /// place when apiserver's ValidatePodUpdate allows it; else per the pod's update policy), pods
    /// no longer defined are deleted. Pods of files that failed to load are kept as they were.
    public func apply(_ desired: DesiredPods) async {
        guard let workers else { return }
        applied += 1
        let generation = applied
        let standingErrors = Set(manifestErrors)
        retry?.cancel()
        retry = nil
        // What this snapshot says of a file supersedes its pods waiting to be stored again.
        if let sources = desired.partialSources { for f in sources { unstored[f] = nil } } else { unstored.removeAll() }
        var failedSources = Set<String>()
        var errors = desired.errors
        // A partial snapshot leaves the refusals of other files' pods standing.
        var rejectedNow = desired.partialSources.map { sources in rejected.filter { !sources.contains($0.value.file) } } ?? [:]
        let standing: [ManifestError] = rejectedNow.values.sorted { a, b in a.file == b.file ? a.message < b.message : a.file < b.file }
        errors += standing
        let diff = DesiredPodsDiff.compute(desired, known: known)
        let runtimeUIDs = await uidsInRuntime(for: diff.items.filter { $0.change == .added && $0.entry.pod.metadata.uid == nil })
        var storeErrors: [String: [ManifestError]] = [:]
        func storeFailure(_ entry: DesiredPods.Entry, _ error: any Error) {
            let e = ManifestError(file: entry.source, document: nil, message: "cannot store pod \(entry.pod.key): \(error); retrying")
            errors.append(e)
            storeErrors[entry.source, default: []].append(e)
            failedSources.insert(entry.source)
        }
        for item in diff.items {
            let entry = item.entry
            let key = entry.pod.key
            let now = Date()
            switch item.change {
            case .unchanged:
                continue
            case .moved:
                if let (rec, _) = known[key] { save(rec, pod: entry.pod, source: entry.source, now: now) }
            case .changed:
                guard let (rec, old) = known[key] else { continue }
                // The worker owns the terminal phase: read it from the store, not the cache.
                let terminal = (try? store.read { r in try r.pod(uid: rec.uid) })??.terminalPhase != nil
                switch PodAdmission.update(old: old, new: entry.pod, terminal: terminal, defaultPolicy: config.defaultUpdatePolicy) {
                case .reject(let message):
                    let error = ManifestError(file: entry.source, document: nil, message: message)
                    errors.append(error)
                    rejectedNow[rec.uid] = error
                    if rejected[rec.uid]?.message != message {
                        let ev = EventRecord(
                            podUID: rec.uid, namespace: rec.namespace, podName: rec.name, fieldPath: nil, type: "Warning",
                            reason: EventReason.inPlaceRejected, message: message, count: 1, firstTimestamp: now, lastTimestamp: now)
                        _ = try? store.write { tx in try tx.appendEvent(ev) }
                    }
                case .revive:
                    if let error = save(rec, pod: entry.pod, source: entry.source, now: now, revive: true) { storeFailure(entry, error) }
                    syncer?.cleaned.remove(rec.uid)
                    await workers.sync(rec.uid)
                case .update:
                    if let error = save(rec, pod: entry.pod, source: entry.source, now: now) { storeFailure(entry, error) }
                    await workers.sync(rec.uid)
                }
            case .replaced:
                guard let (rec, _) = known[key] else { continue }
                logger.info(
                    "pod recreated with a new uid, deleting the old one",
                    metadata: ["pod": "\(key)", "old-uid": "\(rec.uid)", "uid": "\(entry.pod.metadata.uid ?? "")"])
                known[key] = nil
                await workers.delete(rec.uid)
                fallthrough
            case .added:
                switch PodAdmission.add(entry, known: known, runtimeUID: runtimeUIDs[key], newUID: { UUID().uuidString.lowercased() }) {
                case .duplicateUID(let message):
                    errors.append(ManifestError(file: entry.source, document: nil, message: message))
                case .admit(let uid, let minted):
                    do {
                        try record(entry, uid: uid, now: now)
                        if minted { syncer?.fresh.insert(uid) }
                        await workers.sync(uid)
                    } catch {
                        storeFailure(entry, error)
                    }
                }
            }
        }
        for key in diff.removed {
            guard let entry = known[key] else { continue }
            logger.info("pod no longer defined, deleting", metadata: ["pod": "\(key)", "file": "\(entry.record.source)"])
            known[key] = nil
            await workers.delete(entry.record.uid, gracePeriodSeconds: desired.deletionGracePeriods[key])
        }
        rejected = rejectedNow
        for f in failedSources { unstored[f] = (desired.pods.filter { $0.source == f }, storeErrors[f] ?? []) }
        // Files waiting from earlier snapshots keep their errors standing.
        errors += unstored.filter { !failedSources.contains($0.key) }.sorted { $0.key < $1.key }.flatMap(\.value.errors)
        manifestErrors = errors
        if !unstored.isEmpty {
            // The source sends a snapshot only when a file changes: the agent retries the files
            // whose pods it could not store itself, as a partial snapshot of those files (every
            // pod of each, so none of them is taken for deleted), with this snapshot's whole
            // errors and warnings.
            var again = DesiredPods(
                pods: unstored.keys.sorted().flatMap { unstored[$0]?.entries ?? [] }, errors: desired.errors,
                failedFiles: desired.failedFiles, warnings: desired.warnings)
            again.partialSources = Set(unstored.keys)
            retry = Task { [weak self] in
                try? await Task.sleep(nanoseconds: 2_000_000_000)
                guard !Task.isCancelled, let self, await self.applied == generation else { return }
                await self.apply(again)
            }
        }
        // A warning is logged when it appears, not again with every later snapshot that still
        // carries it (each inotify batch does); `inplacectl status` shows the current ones.
        let known = Set(manifestWarnings)
        manifestWarnings = desired.warnings
        // An error is logged when its file changed (a partial snapshot names it) or, in a whole
        // snapshot (a rescan), when it was not standing already: a rescan that finds the same
        // broken file again does not log it again.
        for e in desired.errors where desired.partialSources.map({ $0.contains(e.file) }) ?? !standingErrors.contains(e) {
            logger.error("manifest rejected", metadata: ["error": "\(e)"])
        }
        for w in desired.warnings where !known.contains(w) { logger.warning("\(w)") }
    }

    /// Stores an admitted new pod under `uid` and publishes its first status at once: Pending,
    /// its containers waiting (`ContainerCreating`, or `PodInitializing` behind init
    /// containers), as kubelet shows a pod it has just admitted.
    /// - Throws: the store's error (nothing is recorded then).
    private func record(_ entry: DesiredPods.Entry, uid: String, now: Date) throws {
        var pod = entry.pod
        pod.metadata.uid = uid
        // Whole seconds, as the API's timestamps are written: the pod kept here is then the one
        // its stored JSON decodes to.
        pod.metadata.creationTimestamp = Time(Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down)))
        let json = Self.json(pod)
        let rec = PodRecord(
            uid: uid, namespace: pod.metadata.namespace ?? "default", name: pod.metadata.name ?? "",
            source: entry.source, podJSON: json, createdAt: now, startTime: nil,
            terminalPhase: nil, terminalReason: nil, terminalMessage: nil, updatedAt: now)
        try store.write { tx in try tx.savePod(rec) }
        known[pod.key] = (Self.withoutJSON(rec), pod)
        syncer?.decoded.remember(uid: uid, json: json, pod: pod)
        let admitted = SyncRun(uid: uid, record: rec, pod: pod, containers: [], conditions: [], sandboxes: [], updates: [])
        do {
            try publisher?.cacheAdmitted(admitted)
        } catch {
            logger.error("cannot write the status of an admitted pod", metadata: ["pod": "\(pod.key)", "error": "\(error)"])
        }
    }

    /// UIDs of sandboxes this agent made that the runtime still holds, by `namespace/name`, for
    /// pods the store does not know; one list call, only when there are such pods.
    private func uidsInRuntime(for entries: [DesiredPodsDiff.Item]) async -> [String: String] {
        guard !entries.isEmpty else { return [:] }
        guard let sandboxes = try? await runtime.listPodSandboxes(labelSelector: [RuntimeConfigs.managedLabel: "true"]) else { return [:] }
        var out: [String: String] = [:]
        for sb in sandboxes.sorted(by: { $0.createdAt < $1.createdAt }) where sb.state == .ready {
            out["\(sb.namespace)/\(sb.name)"] = sb.uid
        }
        return out
    }

    /// Stores a new desired spec; the fields the pod's worker owns (startTime, terminal phase)
    /// are read back inside the same transaction so they are never overwritten.
    @discardableResult
    private func save(_ rec: PodRecord, pod: Pod, source: String, now: Date, revive: Bool = false) -> Error? {
        let json = Self.json(pod)
        do {
            let saved = try store.write { tx -> PodRecord in
                var r = try tx.pod(uid: rec.uid) ?? rec
                r.podJSON = json
                r.source = source
                r.updatedAt = now
                if revive {
                    r.terminalPhase = nil
                    r.terminalReason = nil
                    r.terminalMessage = nil
                    r.startTime = nil
                    for c in try tx.containers(podUID: rec.uid) { try tx.deleteContainer(podUID: rec.uid, name: c.name) }
                }
                try tx.savePod(r)
                return r
            }
            known[pod.key] = (Self.withoutJSON(saved), pod)
            syncer?.decoded.remember(uid: saved.uid, json: json, pod: pod)
            return nil
        } catch {
            logger.error("cannot store pod", metadata: ["pod": "\(pod.key)", "error": "\(error)"])
            return error
        }
    }

    /// The record as ``KnownPods`` keeps it: without its JSON (the Pod beside it is the same).
    static func withoutJSON(_ record: PodRecord) -> PodRecord {
        var r = record
        r.podJSON = ""
        return r
    }

    static func json(_ pod: Pod) -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return String(decoding: (try? e.encode(pod)) ?? Data(), as: UTF8.self)
    }

    /// Stops the workers and the relister. Containers keep running: a restarted agent adopts them.
    /// - Parameter drainSeconds: how long the syncs in flight are let finish (default 10 s,
    ///   ``PodWorkers/shutdown(drainSeconds:)``); one still running then ends with the process.
    ///   An agent stopped and followed by another in the same process (tests) gives them as long
    ///   as they need, since nothing ends them there.
    public func shutdown(drainSeconds: Double = 10) async {
        retry?.cancel()
        for t in tasks { t.cancel() }
        tasks.removeAll()
        probes.shutdown()
        await workers?.shutdown(drainSeconds: drainSeconds)
    }

    /// Asks for a sync of every pod now (tests, and `SIGHUP`-like nudges).
    public func syncAll() async {
        guard let workers, let all = try? store.read({ r in try r.pods() }) else { return }
        for p in all { await workers.sync(p.uid) }
    }

    /// Seconds since the relist loop last completed a pass (a list, or while the runtime's
    /// events flow a tick every relist period): nil before the first. The systemd watchdog's
    /// liveness check.
    public func secondsSincePLEGPass() async -> Double? {
        await relister?.lastPass.map { Date().timeIntervalSince($0) }
    }

    /// One relist pass now; returns the pods that changed.
    @discardableResult
    public func relistNow() async -> Set<String> {
        await relister?.relist() ?? []
    }

    // MARK: PodStatusProvider

    /// Every pod with its status, from the status cache: never waits for the agent's actor, so
    /// the status socket answers while a snapshot is being applied.
    public nonisolated func listPods() async -> [Pod] { statuses.all() }

    /// The status cache's change count, for ``waitForStatusChange(after:)``.
    public nonisolated var statusChangeCount: UInt64 { statuses.changeCount }

    /// Returns once a pod's status changed after the cache counted `count` changes, or when the
    /// calling task is cancelled (``StatusCache/waitForChange(after:)``).
    public nonisolated func waitForStatusChange(after count: UInt64) async { await statuses.waitForChange(after: count) }

    /// How many pods' cached statuses satisfy `predicate` (never waits for the actor, copies no pod).
    public nonisolated func countPods(where predicate: (Pod) -> Bool) -> Int { statuses.count(where: predicate) }

    /// The pod `namespace/name` with its status, from the status cache (never waits for the actor).
    public nonisolated func getPod(namespace: String, name: String) async -> Pod? {
        statuses.get(namespace: namespace, name: name)
    }

    public func updateHistory(namespace: String, name: String) async -> [InPlaceUpdate]? {
        guard let rec = try? store.read({ r in try r.pod(namespace: namespace, name: name) }) else { return nil }
        let list = (try? store.read { r in try r.updates(podUID: rec.uid) }) ?? []
        return list.map(Self.view)
    }

    /// The status API's form of a stored update (``UpdateStep`` and its wire form share raw values).
    static func view(_ u: InPlaceUpdateRecord) -> InPlaceUpdate {
        let history = u.history.map {
            InPlaceUpdate.StepTime(step: wire($0.step), time: Time($0.time), message: $0.message)
        }
        return InPlaceUpdate(
            id: u.id ?? 0, container: u.containerName, fromImage: u.fromImage, toImage: u.toImage,
            oldContainerID: u.oldContainerID, newContainerID: u.newContainerID, oldImageID: u.oldImageID,
            newImageID: u.newImageID, step: wire(u.step),
            startedAt: Time(u.startedAt), finishedAt: u.finishedAt.map(Time.init), message: u.message, history: history)
    }

    static func wire(_ step: UpdateStep) -> InPlaceUpdate.Step { InPlaceUpdate.Step(rawValue: step.rawValue) ?? .failed }

    public func events(namespace: String?, name: String?) async -> [Event] {
        var uid: String?
        if let namespace, let name {
            guard let rec = try? store.read({ r in try r.pod(namespace: namespace, name: name) }) else { return [] }
            uid = rec.uid
        }
        let list = (try? store.read { r in try r.events(podUID: uid, limit: 1000) }) ?? []
        return list.filter { namespace == nil || $0.namespace == namespace }.map { Event($0, node: config.nodeName) }
    }

    public func health() async -> AgentHealth {
        // Healthy: the last list is younger than the threshold (kubelet's 3 min, 10 min while
        // evented) and the loop still passes (a tick every period while evented).
        let lastRelist = await relister?.lastRelist
        let threshold = await relister?.healthThreshold ?? max(180, config.relistPeriodSeconds * 3)
        let since = lastRelist.map { Date().timeIntervalSince($0) }
        let sincePass = await secondsSincePLEGPass()
        let healthy =
            (since.map { $0 < threshold } ?? false) && (sincePass.map { $0 < max(180, config.relistPeriodSeconds * 3) } ?? false)
        let evented = await relister?.evented ?? false
        var health = AgentHealth(
            status: healthy ? "ok" : "unhealthy", nodeName: config.nodeName, runtimeName: runtimeVersion.runtimeName,
            runtimeVersion: runtimeVersion.runtimeVersion, version: config.version, pods: statuses.count,
            secondsSinceRelist: since, manifestErrors: manifestErrors,
            manifestWarnings: manifestWarnings.isEmpty ? nil : manifestWarnings)
        health.pleg = evented ? "evented" : "generic"
        if let failure = store.lastWriteFailure {
            // Nothing the agent decides can be recorded before it is acted on: not healthy.
            health.status = "unhealthy"
            health.storeWriteError = failure.error
            health.storeWriteErrorTime = Time(failure.at)
            health.storeWriteFailures = failure.consecutive
        }
        health.podsByPhase = statuses.all().reduce(into: [:]) { $0[$1.status?.phase ?? "Unknown", default: 0] += 1 }
        return health
    }

    public func metricsText() async -> String {
        let depth = (try? store.read { r in try r.outboxDepth() }) ?? 0
        return metrics.render(pods: statuses.count, outboxDepth: depth)
    }
}

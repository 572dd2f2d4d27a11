import Foundation
import PodAPI
import StateStore

/// Generates a pod's PodStatus from what a sync observed and recorded (``StatusBuilder``),
/// persists its changed conditions, queues it in the status outbox when it changed (same
/// transaction) and tells the outbox's consumer, and caches it for the status socket. Called at
/// the start and at the end of every sync, as kubelet's SyncPod generates the status before it
/// acts and the status manager takes the result after; it acts on nothing.
struct StatusPublisher: Sendable {
    let store: StateStore
    let statuses: StatusCache
    let probes: ProbeManager
    let nodeName: String
    let nodeIP: String?
    let runtimeName: String
    /// Told (never blocking) each time a status is queued in the outbox.
    let outbox: OutboxNotifications?

    /// Publishes the status of `run`: writes its changed conditions, pending events, noted
    /// container records and noted update steps and queues the status when it changed, in one grouped write
    /// (`StateStore.writeGrouped`), then caches it.
    /// - Parameters:
    ///   - reread: read the pod's record from the store first (the end of a sync: the worker may
    ///     have set a terminal phase in a transaction of its own).
    ///   - unlessUnchanged: do nothing when neither the pod's record nor a probe result changed
    ///     since the cached status was published (the start of a sync: it would be the same).
    /// - Throws: the store's error (nothing is cached then).
    func publish(_ run: SyncRun, reread: Bool = true, unlessUnchanged: Bool = false) async throws {
        guard let p = try prepare(run, reread: reread, unlessUnchanged: unlessUnchanged) else { return }
        let noted = Array(run.unsaved.values)
        let notedConditions = run.unsavedConditions.values.filter { c in !p.changed.contains { $0.type == c.type } }
        let notedUpdates = Array(run.unsavedUpdates.values)
        let events = run.drainEvents(at: p.now)
        if !p.changed.isEmpty || p.statusChanged || !events.isEmpty || p.terminalPhase != nil || !noted.isEmpty || !notedConditions.isEmpty
            || !notedUpdates.isEmpty
        {
            let json = p.statusChanged ? String(decoding: try Self.encoder.encode(p.pod.status), as: UTF8.self) : nil
            let (uid, ns, name, now, changed, phase) = (run.uid, run.namespace, run.name, p.now, p.changed, p.terminalPhase)
            if p.statusChanged {
                // The new status is the cache's before its write waits for a transaction, marked
                // not yet queued (and with no fingerprint, so no publish skips it): a status
                // queued again from the cache meanwhile (`NodeAgent.reconcileStatus`) is this one,
                // never the one it replaces, and the outbox's last word is the newest status.
                statuses.set(run.uid, pod: p.pod, fingerprint: nil, persisted: false)
            }
            try await store.writeGrouped { tx in
                for c in noted { try tx.saveContainer(c) }
                for c in notedConditions { try tx.saveCondition(c) }
                for u in notedUpdates { try tx.saveUpdate(u) }
                for c in changed { try tx.saveCondition(c) }
                for e in events { try tx.appendEvent(e) }
                if let phase {
                    try SyncContext.updatePod(tx, uid: uid) { if $0.terminalPhase == nil { $0.terminalPhase = phase } }
                }
                if let json { _ = try tx.enqueueStatus(podUID: uid, namespace: ns, name: name, statusJSON: json, at: now) }
            }
            run.unsaved.removeAll()
            run.unsavedConditions.removeAll()
            run.unsavedUpdates.removeAll()
            if p.statusChanged { outbox?.statusQueued() }
        }
        keep(run, p, persisted: true)
        if p.terminalPhase != nil { run.wake(after: 0) }
    }

    /// Caches the first status of a pod just admitted, writing nothing: its first sync, moments
    /// later, writes it.
    /// - Throws: never in practice (the record is not read again); the encoder's error.
    func cacheAdmitted(_ run: SyncRun) throws {
        guard let p = try prepare(run, reread: false, unlessUnchanged: false) else { return }
        keep(run, p, persisted: false)
    }

    /// A status generated for `run`, and what of it is new.
    struct Prepared {
        let now: Date
        let pod: Pod
        let changed: [ConditionRecord]
        let fingerprint: StatusFingerprint
        /// The status differs from the cached one, or the cached one was never queued.
        let statusChanged: Bool
        /// The terminal phase reached now (sticky, as kubelet's status manager keeps it), or nil.
        let terminalPhase: String?
    }

    /// Generates the status of `run` (``StatusBuilder``); nil when `unlessUnchanged` and nothing
    /// it depends on changed since the cached one.
    private func prepare(_ run: SyncRun, reread: Bool, unlessUnchanged: Bool) throws -> Prepared? {
        let now = Date()
        let rec = reread ? (try store.read { r in try r.pod(uid: run.uid) } ?? run.record) : run.record
        let probeStatuses = probes.statuses(run)
        let fingerprint = StatusFingerprint(recordUpdatedAt: rec.updatedAt, probes: probeStatuses)
        if unlessUnchanged, statuses.fingerprint(run.uid) == fingerprint { return nil }
        let podIP = run.statusPodIP(nodeIP: nodeIP)
        var input = StatusBuilder.Input(
            pod: run.pod, record: rec, containers: Array(run.containers.values), conditions: run.conditions,
            podIP: podIP, hostIP: nodeIP, now: now, runtimeName: runtimeName)
        input.sandboxReady = run.sandbox != nil
        input.probes = probeStatuses
        input.record.terminalPhase = rec.terminalPhase ?? run.record.terminalPhase
        let (status, changed) = StatusBuilder.build(input)
        let reached =
            rec.terminalPhase == nil && (status.phase == PodPhase.succeeded || status.phase == PodPhase.failed) ? status.phase : nil
        var pod = run.pod
        pod.metadata.uid = run.uid
        pod.metadata.creationTimestamp = Time(rec.createdAt)
        pod.spec.nodeName = nodeName
        pod.status = status
        let previous = statuses.get(run.uid)
        // A status cached at admission only was never queued: the first persisted one is new.
        let statusChanged = previous?.status != status || !statuses.isPersisted(run.uid)
        return Prepared(
            now: now, pod: pod, changed: changed, fingerprint: fingerprint, statusChanged: statusChanged, terminalPhase: reached)
    }

    /// Takes the changed conditions into the run and caches the status.
    private func keep(_ run: SyncRun, _ p: Prepared, persisted: Bool) {
        for c in p.changed {
            if let i = run.conditions.firstIndex(where: { $0.type == c.type }) { run.conditions[i] = c } else { run.conditions.append(c) }
        }
        statuses.set(run.uid, pod: p.pod, fingerprint: p.fingerprint, persisted: persisted)
    }

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }()
}

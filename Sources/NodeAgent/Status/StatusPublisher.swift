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

    /// Publishes the status of `run`.
    /// - Parameters:
    ///   - reread: read the pod's record from the store first (the end of a sync: the worker may
    ///     have set a terminal phase in a transaction of its own).
    ///   - unlessUnchanged: do nothing when neither the pod's record nor a probe result changed
    ///     since the cached status was published (the start of a sync: it would be the same).
    ///   - persist: write changed conditions, events and the outbox row; false only caches the
    ///     status (a pod just admitted: its first sync, moments later, writes it).
    /// - Throws: the store's error.
    func publish(_ run: SyncRun, reread: Bool = true, unlessUnchanged: Bool = false, persist: Bool = true) throws {
        let now = Date()
        let rec = reread ? (try store.read { r in try r.pod(uid: run.uid) } ?? run.record) : run.record
        let probeStatuses = probes.statuses(run)
        let fingerprint = StatusFingerprint(recordUpdatedAt: rec.updatedAt, probes: probeStatuses)
        if unlessUnchanged, statuses.fingerprint(run.uid) == fingerprint { return }
        let podIP = run.statusPodIP(nodeIP: nodeIP)
        var input = StatusBuilder.Input(
            pod: run.pod, record: rec, containers: Array(run.containers.values), conditions: run.conditions,
            podIP: podIP, hostIP: nodeIP, now: now, runtimeName: runtimeName)
        input.sandboxReady = run.sandbox != nil
        input.probes = probeStatuses
        input.record.terminalPhase = rec.terminalPhase ?? run.record.terminalPhase
        let (status, changed) = StatusBuilder.build(input)
        var podRec = rec
        // Terminal phases are sticky, as kubelet's status manager keeps them.
        if rec.terminalPhase == nil, status.phase == PodPhase.succeeded || status.phase == PodPhase.failed {
            podRec.terminalPhase = status.phase
            podRec.updatedAt = now
        }
        var pod = run.pod
        pod.metadata.uid = run.uid
        pod.metadata.creationTimestamp = Time(rec.createdAt)
        pod.spec.nodeName = nodeName
        pod.status = status
        let previous = statuses.get(run.uid)
        // A status cached at admission only was never queued: the first persisted one is new.
        let statusChanged = previous?.status != status || !statuses.isPersisted(run.uid)
        let events = run.drainEvents(at: now)
        let podChanged = podRec != rec
        let noted = Array(run.unsaved.values)
        if persist, !changed.isEmpty || statusChanged || !events.isEmpty || podChanged || !noted.isEmpty {
            let json = statusChanged ? String(decoding: try Self.encoder.encode(status), as: UTF8.self) : nil
            let uid = run.uid
            let ns = run.namespace
            let name = run.name
            try store.write { tx in
                for c in noted { try tx.saveContainer(c) }
                for c in changed { try tx.saveCondition(c) }
                for e in events { try tx.appendEvent(e) }
                if podChanged {
                    let phase = podRec.terminalPhase
                    try SyncContext.updatePod(tx, uid: uid) { if $0.terminalPhase == nil { $0.terminalPhase = phase } }
                }
                if let json { _ = try tx.enqueueStatus(podUID: uid, namespace: ns, name: name, statusJSON: json, at: now) }
            }
            run.unsaved.removeAll()
            if statusChanged { outbox?.statusQueued() }
        }
        for c in changed {
            if let i = run.conditions.firstIndex(where: { $0.type == c.type }) { run.conditions[i] = c } else { run.conditions.append(c) }
        }
        statuses.set(run.uid, pod: pod, fingerprint: fingerprint, persisted: persist)
        if podChanged && podRec.terminalPhase != nil { run.wake(after: 0) }
    }

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }()
}

import ContainerRuntime
import Foundation
import Logging
import PodAPI
import Prober
import StateStore

/// Makes the runtime match one pod's desired spec, as kubelet's SyncPod after computePodActions:
/// sandbox first, then each container kept, started, restarted with back-off, or upgraded in
/// place by ``InPlaceUpdater``. Every step is written to the store before it is acted on.
final class PodSyncer: Sendable {
    let runtime: any RuntimeService
    let store: StateStore
    let config: AgentConfiguration
    let hooks: AgentHooks
    let backoff: Backoff
    let statuses: StatusCache
    let metrics: AgentMetrics
    let runtimeName: String
    let logger: Logger
    /// The probe workers and their results: status reads them, failed liveness/startup probes kill.
    let probes: ProbeManager
    /// Pods whose leftovers (containers and sandboxes the store does not know, from a crash or a
    /// lost store) were cleaned since this agent started.
    let cleaned = LockedSet()
    /// Pods this agent created with a UID of its own: the runtime cannot hold anything of theirs
    /// from before, so there is nothing to adopt or clean (and no list call to pay per pod).
    let fresh = LockedSet()

    /// Whether the pod's runtime objects still need reconciling with the store this run.
    func needsReconcile(_ uid: String) -> Bool { !cleaned.contains(uid) && !fresh.contains(uid) }

    init(runtime: any RuntimeService, store: StateStore, config: AgentConfiguration, hooks: AgentHooks, backoff: Backoff,
         statuses: StatusCache, metrics: AgentMetrics, runtimeName: String, logger: Logger, probes: ProbeManager) {
        self.probes = probes
        self.runtime = runtime
        self.store = store
        self.config = config
        self.hooks = hooks
        self.backoff = backoff
        self.statuses = statuses
        self.metrics = metrics
        self.runtimeName = runtimeName
        self.logger = logger
    }

    /// Loads the pod's state in one read.
    func load(uid: String) throws -> SyncRun? {
        try store.read { r -> SyncRun? in
            guard let rec = try r.pod(uid: uid) else { return nil }
            let pod = try JSONDecoder().decode(Pod.self, from: Data(rec.podJSON.utf8))
            return SyncRun(uid: uid, record: rec, pod: pod, containers: try r.containers(podUID: uid),
                           conditions: try r.conditions(podUID: uid), sandboxes: try r.sandboxes(podUID: uid),
                           updates: try r.updates(podUID: uid).filter { $0.finishedAt == nil })
        }
    }

    /// One sync of the pod with `uid`. Runtime errors are recorded as events and retried at the
    /// next wake-up; they never end the worker.
    func sync(uid: String) async -> SyncOutcome {
        let started = Date()
        defer { metrics.observeSync(seconds: Date().timeIntervalSince(started)) }
        let run: SyncRun
        do {
            guard let r = try load(uid: uid) else { return SyncOutcome(wakeAt: nil, gone: true) }
            run = r
        } catch {
            logger.error("sync: cannot load pod from the store", metadata: ["uid": "\(uid)", "error": "\(error)"])
            return SyncOutcome(wakeAt: Date().addingTimeInterval(1))
        }
        do {
            try await syncPod(run)
        } catch is CancellationError {
            return SyncOutcome(wakeAt: nil)
        } catch {
            logger.warning("sync failed", metadata: ["pod": "\(run.key)", "error": "\(error)"])
            run.event(PendingEvent(type: "Warning", reason: EventReason.failedSync, message: "error syncing pod: \(error)"))
            run.wake(after: min(max(config.backoffBaseSeconds, 1), 10))
        }
        if Task.isCancelled { return SyncOutcome(wakeAt: nil) }
        do {
            try publishStatus(run)
        } catch {
            logger.error("sync: cannot write status", metadata: ["pod": "\(run.key)", "error": "\(error)"])
            run.wake(after: 1)
        }
        return SyncOutcome(wakeAt: run.wakeups.min())
    }

    private func syncPod(_ run: SyncRun) async throws {
        let now = Date()
        if run.record.terminalPhase != nil {
            try await PodKiller(syncer: self).killContainers(run, reason: nil)
            return
        }
        if let ads = run.pod.spec.activeDeadlineSeconds, let start = run.record.startTime {
            let deadline = start.addingTimeInterval(Double(ads))
            if now >= deadline {
                try await failForDeadline(run)
                return
            }
            run.wake(at: deadline)
        }

        try await ensureSandbox(run)
        guard let sandbox = run.sandbox else { return }
        let sandboxConfig = sandboxConfig(run, attempt: UInt32(sandbox.attempt))

        if try await InitContainers(syncer: self).run(run, sandboxID: sandbox.id, sandboxConfig: sandboxConfig) == .blocked {
            return
        }
        for c in run.pod.spec.containers {
            try Task.checkCancellation()
            try await syncContainer(run, c, sandboxID: sandbox.id, sandboxConfig: sandboxConfig)
        }
        try await InPlaceUpdater(syncer: self).openGateIfDone(run)
        if needsReconcile(run.uid) {
            try await RuntimeReconciler(syncer: self).removeLeftovers(run)
            cleaned.insert(run.uid)
        }
    }

    func sandboxConfig(_ run: SyncRun, attempt: UInt32) -> PodSandboxConfig {
        RuntimeConfigs.sandbox(for: run.pod, uid: run.uid, attempt: attempt, podLogRoot: config.podLogRoot,
                               specHash: RuntimeConfigs.podSpecHash(run.pod.spec))
    }

    /// Keeps the sandbox when it is ready and was made for this spec; otherwise kills the pod's
    /// containers and makes a new one (kubelet: "Pod sandbox changed, it will be killed and re-created.").
    private func ensureSandbox(_ run: SyncRun) async throws {
        let wantHash = RuntimeConfigs.podSpecHash(run.pod.spec)
        // A new sandbox of the pod counts one more attempt than the last (kubelet's
        // metadata.attempt), so its runtime name never collides with the one it replaces.
        let previousAttempt = run.sandbox?.attempt
        var specChanged = false
        if run.sandbox == nil, needsReconcile(run.uid),
           let adopted = try await RuntimeReconciler(syncer: self).adoptSandbox(run, specHash: wantHash) {
            run.sandbox = adopted
            run.podIP = adopted.ip
            return
        }
        if let sb = run.sandbox {
            do {
                let st = try await runtime.podSandboxStatus(id: sb.id)
                if st.sandbox.state == .ready {
                    if st.sandbox.annotations[RuntimeConfigs.podSpecHashAnnotation] == wantHash { return }
                    specChanged = true
                }
            } catch let e as RuntimeError where e.isNotFound {
                // gone: make a new one below
            }
            let killer = PodKiller(syncer: self)
            try await killer.killContainers(run, reason: specChanged ? "pod spec changed, the pod will be re-created" : nil)
            try await killer.removeSandbox(run, sb)
            run.event(PendingEvent(reason: EventReason.sandboxChanged, message: "Pod sandbox changed, it will be killed and re-created."))
            if specChanged {
                // A recreated pod starts over, as a new static pod would.
                run.event(PendingEvent(reason: EventReason.recreate, message: "successfully update pod \(run.name) by recreating it"))
                let names = Array(run.containers.keys)
                run.containers.removeAll()
                let uid = run.uid
                try store.write { tx in for n in names { try tx.deleteContainer(podUID: uid, name: n) } }
            }
        }
        let attempt = (previousAttempt ?? -1) + 1
        let cfg = sandboxConfig(run, attempt: UInt32(attempt))
        // A sandbox the runtime refused (no CNI for a pod network, say) is retried with back-off;
        // meanwhile the pod stays Pending with its containers waiting, as kubelet leaves it.
        let sandboxKey = backoffKey(run, "/sandbox")
        if let until = backoff.blockedUntil(sandboxKey, now: Date()) {
            run.wake(at: until)
            return
        }
        let id: String
        do {
            do {
                id = try await timed("RunPodSandbox") { try await self.runtime.runPodSandbox(cfg) }
            } catch let e as RuntimeError where ReservedName.holder(in: e) != nil {
                // An earlier attempt the runtime kept (containerd keeps a sandbox whose network
                // setup failed) holds the name: remove it and try again. When it cannot be
                // removed, its removal error is the cause worth reporting.
                let holder = ReservedName.holder(in: e)!
                try? await runtime.stopPodSandbox(id: holder)
                try await timed("RemovePodSandbox") { try await self.runtime.removePodSandbox(id: holder) }
                id = try await timed("RunPodSandbox") { try await self.runtime.runPodSandbox(cfg) }
            }
            backoff.reset(sandboxKey)
        } catch let e as RuntimeError {
            if case .unavailable = e { throw e }
            let delay = backoff.fail(sandboxKey, now: Date())
            let message = "Failed to create pod sandbox: \(ImagePuller.detail(e))"
            logger.warning("cannot create the pod sandbox", metadata: ["pod": "\(run.key)", "error": "\(e)", "retryIn": "\(delay)s"])
            run.event(PendingEvent(type: "Warning", reason: EventReason.failedCreatePodSandBox, message: message))
            run.wake(after: delay)
            return
        }
        let st = try? await runtime.podSandboxStatus(id: id)
        let now = Date()
        let rec = SandboxRecord(id: id, podUID: run.uid, attempt: attempt, state: SandboxState.ready.rawValue,
                                ip: st?.ip ?? "", createdAt: now)
        run.sandbox = rec
        run.podIP = rec.ip
        if run.record.startTime == nil { run.record.startTime = now }
        let uid = run.uid
        let events = run.drainEvents(at: now)
        try store.write { tx in
            try tx.saveSandbox(rec)
            try Self.updatePod(tx, uid: uid) { if $0.startTime == nil { $0.startTime = now } }
            for e in events { try tx.appendEvent(e) }
        }
    }

    private func failForDeadline(_ run: SyncRun) async throws {
        run.event(PendingEvent(reason: EventReason.deadlineExceeded, message: StatusBuilder.deadlineExceededMessage))
        run.record.terminalPhase = PodPhase.failed
        run.record.terminalReason = StatusBuilder.deadlineExceededReason
        run.record.terminalMessage = StatusBuilder.deadlineExceededMessage
        let uid = run.uid
        try store.write { tx in
            try Self.updatePod(tx, uid: uid) {
                $0.terminalPhase = PodPhase.failed
                $0.terminalReason = StatusBuilder.deadlineExceededReason
                $0.terminalMessage = StatusBuilder.deadlineExceededMessage
            }
        }
        try await PodKiller(syncer: self).killContainers(run, reason: nil)
    }

    /// One regular container: keep it, start it, restart it, or upgrade it in place.
    private func syncContainer(_ run: SyncRun, _ c: Container, sandboxID: String, sandboxConfig: PodSandboxConfig) async throws {
        let updater = InPlaceUpdater(syncer: self)
        if let upd = run.updates[c.name] {
            try await updater.advance(run, c, upd, sandboxID: sandboxID, sandboxConfig: sandboxConfig)
            return
        }
        let starter = ContainerStarter(syncer: self)
        if run.containers[c.name] == nil, needsReconcile(run.uid) {
            try await RuntimeReconciler(syncer: self).adoptContainer(run, c, sandboxID: sandboxID)
        }
        guard let rec = run.containers[c.name], let cid = rec.containerID else {
            // Never created, or its last container is gone: start the next one.
            let prior = run.containers[c.name]
            if let prior, !shouldRestart(run, prior) { return }
            try await starter.startOrBackOff(run, c, prior: prior, sandboxID: sandboxID, sandboxConfig: sandboxConfig)
            return
        }
        if ContainerStarter.isPendingStart(rec) {
            // Created before the agent stopped, its start unconfirmed: finish it, or (it never
            // ran) start it again with the same restartCount.
            do {
                if try await starter.resumeStart(run, c, rec) == nil {
                    try await starter.startOrBackOff(run, c, prior: run.containers[c.name], sandboxID: sandboxID, sandboxConfig: sandboxConfig)
                }
            } catch is ContainerStarter.StartFailure {
                // Recorded as waiting, without an ID: the next container is started after back-off.
                run.wake(after: backoff.fail(backoffKey(run, c.name)))
            }
            return
        }
        let observed = try await containerStatusIfPresent(cid)
        if let o = observed, o.state == .running || o.state == .created {
            if o.state == .created {
                try await timed("StartContainer") { try await self.runtime.startContainer(id: cid) }
            }
            if hashChanged(c, rec) {
                try await updater.begin(run, c, rec, sandboxID: sandboxID, sandboxConfig: sandboxConfig)
                return
            }
            if o.state == .running, let kind = probes.failedProbe(uid: run.uid, container: c.name, containerID: cid) {
                try await killForProbe(run, c, rec, kind: kind, sandboxID: sandboxID, sandboxConfig: sandboxConfig)
                return
            }
            try refreshRunning(run, c, rec, o)
            return
        }
        // Exited, or removed behind our back: record it as the last state and restart per policy.
        try await containerDied(run, c, rec, observed: observed, sandboxID: sandboxID, sandboxConfig: sandboxConfig)
    }

    /// Whether the container's spec hash differs from the one it runs with. A stored hash made by
    /// the other algorithm is compared by that algorithm (B1); an unreadable one falls back to
    /// comparing the image (B3).
    func hashChanged(_ c: Container, _ rec: ContainerRecord) -> Bool {
        let algorithm = HashAlgorithm(rawValue: rec.hashAlgorithm) ?? config.hashAlgorithm
        if let same = ContainerHasher.matches(c, storedHex: rec.hash, algorithm: algorithm) { return !same }
        return (c.image ?? "") != rec.image
    }

    private func refreshRunning(_ run: SyncRun, _ c: Container, _ rec: ContainerRecord, _ o: RuntimeContainerStatus) throws {
        var r = rec
        let started = o.startedAt > 0 ? Date(timeIntervalSince1970: Double(o.startedAt) / 1e9) : nil
        r.stateJSON = StatusBuilder.encodeState(ContainerState(running: ContainerStateRunning(startedAt: started.map(Time.init))))
        r.startedAt = started
        if r.imageID.isEmpty { r.imageID = o.imageRef }
        // Re-stamp a hash made by another algorithm without restarting (B1).
        if r.hashAlgorithm != config.hashAlgorithm.rawValue || ContainerHasher.parse(r.hash) == nil {
            r.hash = ContainerHasher.hex(c, algorithm: config.hashAlgorithm)
            r.hashAlgorithm = config.hashAlgorithm.rawValue
        }
        guard r != rec else { return }
        r.updatedAt = Date()
        run.containers[c.name] = r
        let saved = r
        try store.write { tx in try tx.saveContainer(saved) }
    }

    /// restartPolicy as kubelet's ShouldContainerBeRestarted: Always restarts, OnFailure restarts
    /// a non-zero exit, Never never does.
    func shouldRestart(_ run: SyncRun, _ rec: ContainerRecord) -> Bool {
        let state = StatusBuilder.decodeState(rec.stateJSON)
        guard let t = state.terminated else { return true }
        switch run.pod.spec.restartPolicy ?? "Always" {
        case "Never": return false
        case "OnFailure": return t.exitCode != 0
        default: return true
        }
    }

    /// A running container whose liveness (or startup) probe failed: killed with kubelet's
    /// message (`Container app failed liveness probe, will be restarted`, reason `Killing`) and
    /// the probe's `terminationGracePeriodSeconds` (else the pod's), then restarted unless the
    /// restartPolicy is Never, with the usual back-off.
    private func killForProbe(_ run: SyncRun, _ c: Container, _ rec: ContainerRecord, kind: ProbeKind,
                              sandboxID: String, sandboxConfig: PodSandboxConfig) async throws {
        guard let cid = rec.containerID else { return }
        let restart = (run.pod.spec.restartPolicy ?? "Always") != "Never"
        let message = "Container \(c.name) failed \(kind.rawValue.lowercased()) probe" + (restart ? ", will be restarted" : "")
        run.event(PendingEvent(container: c.name, reason: EventReason.killing, message: message))
        logger.info("killing container: probe failed", metadata: ["pod": "\(run.key)", "container": "\(c.name)", "probe": "\(kind.rawValue)"])
        let grace = ProbeManager.probe(c, kind)?.terminationGracePeriodSeconds ?? run.terminationGracePeriod
        let rt = runtime
        do {
            try await timed("StopContainer") { try await rt.stopContainer(id: cid, timeoutSeconds: grace) }
        } catch let e as RuntimeError where e.isNotFound {}
        let observed = try await containerStatusIfPresent(cid)
        try await containerDied(run, c, rec, observed: observed, sandboxID: sandboxID, sandboxConfig: sandboxConfig, forceRestart: restart)
    }

    private func containerDied(_ run: SyncRun, _ c: Container, _ rec: ContainerRecord, observed: RuntimeContainerStatus?,
                               sandboxID: String, sandboxConfig: PodSandboxConfig, forceRestart: Bool = false) async throws {
        let terminated = Self.terminatedState(observed, containerID: "\(runtimeName)://\(rec.containerID ?? "")",
                                              fallbackStartedAt: rec.startedAt)
        var r = rec
        r.stateJSON = StatusBuilder.encodeState(ContainerState(terminated: terminated))
        r.containerID = nil
        r.updatedAt = Date()
        run.containers[c.name] = r
        let saved = r
        try store.write { tx in try tx.saveContainer(saved) }
        if let id = rec.containerID {
            try? await runtime.removeContainer(id: id)
        }
        guard forceRestart || shouldRestart(run, r) else { return }
        try await ContainerStarter(syncer: self).startOrBackOff(run, c, prior: r, sandboxID: sandboxID, sandboxConfig: sandboxConfig)
    }

    /// The terminated state of a dead container; kubelet's fabricated `ContainerStatusUnknown`
    /// (exit 137) when the runtime no longer has it.
    static func terminatedState(_ o: RuntimeContainerStatus?, containerID: String, fallbackStartedAt: Date?) -> ContainerStateTerminated {
        guard let o else {
            return ContainerStateTerminated(
                exitCode: 137, reason: "ContainerStatusUnknown",
                message: "The container could not be located when the pod was terminated",
                startedAt: fallbackStartedAt.map(Time.init), finishedAt: Time.now(), containerID: containerID)
        }
        let ns: (Int64) -> Time? = { $0 > 0 ? Time(Date(timeIntervalSince1970: Double($0) / 1e9)) : nil }
        let reason = o.reason.isEmpty ? (o.exitCode == 0 ? "Completed" : "Error") : o.reason
        return ContainerStateTerminated(exitCode: o.exitCode, reason: reason, message: o.message.isEmpty ? nil : o.message,
                                        startedAt: ns(o.startedAt), finishedAt: ns(o.finishedAt) ?? Time.now(),
                                        containerID: containerID)
    }

    /// Stores a container record, with the run's pending events, in one transaction.
    func save(_ run: SyncRun, container rec: ContainerRecord) throws {
        run.containers[rec.name] = rec
        let events = run.drainEvents(at: Date())
        try store.write { tx in
            try tx.saveContainer(rec)
            for e in events { try tx.appendEvent(e) }
        }
    }

    /// CRI ContainerStatus of `id`, or nil when the runtime no longer has it.
    func containerStatusIfPresent(_ id: String) async throws -> RuntimeContainerStatus? {
        do {
            return try await timed("ContainerStatus") { try await self.runtime.containerStatus(id: id) }
        } catch let e as RuntimeError where e.isNotFound {
            return nil
        }
    }

    func backoffKey(_ run: SyncRun, _ container: String) -> String { "\(run.uid)/\(container)" }

    /// Calls the runtime, timing the call for the metrics.
    func timed<T: Sendable>(_ method: String, _ body: @Sendable () async throws -> T) async throws -> T {
        let start = Date()
        do {
            let v = try await body()
            metrics.observeRuntime(method: method, seconds: Date().timeIntervalSince(start), failed: false)
            return v
        } catch {
            metrics.observeRuntime(method: method, seconds: Date().timeIntervalSince(start), failed: true)
            throw error
        }
    }

    /// Generates the status, persists changed conditions, queues it in the outbox when it
    /// changed (same transaction), and caches it for the socket.
    func publishStatus(_ run: SyncRun) throws {
        let now = Date()
        let rec = try store.read { r in try r.pod(uid: run.uid) } ?? run.record
        let hostNetwork = run.pod.spec.hostNetwork ?? false
        var input = StatusBuilder.Input(pod: run.pod, record: rec, containers: Array(run.containers.values),
                                        conditions: run.conditions, podIP: hostNetwork ? config.nodeIP : run.podIP,
                                        hostIP: config.nodeIP, now: now, runtimeName: runtimeName)
        input.sandboxReady = run.sandbox != nil
        input.probes = probeStatuses(run, podIP: (hostNetwork ? config.nodeIP : run.podIP) ?? "")
        input.record.terminalPhase = rec.terminalPhase ?? run.record.terminalPhase
        var (status, changed) = StatusBuilder.build(input)
        var podRec = rec
        // Terminal phases are sticky, as kubelet's status manager keeps them.
        if rec.terminalPhase == nil, status.phase == PodPhase.succeeded || status.phase == PodPhase.failed {
            podRec.terminalPhase = status.phase
            podRec.updatedAt = now
        }
        var pod = run.pod
        pod.metadata.uid = run.uid
        pod.metadata.creationTimestamp = Time(rec.createdAt)
        pod.spec.nodeName = config.nodeName
        pod.status = status
        let previous = statuses.get(run.uid)
        let statusChanged = previous?.status != status
        let events = run.drainEvents(at: now)
        let podChanged = podRec != rec
        if !changed.isEmpty || statusChanged || !events.isEmpty || podChanged {
            let json = statusChanged ? String(decoding: try Self.encoder.encode(status), as: UTF8.self) : nil
            let uid = run.uid, ns = run.namespace, name = run.name
            try store.write { tx in
                for c in changed { try tx.saveCondition(c) }
                for e in events { try tx.appendEvent(e) }
                if podChanged {
                    let phase = podRec.terminalPhase
                    try Self.updatePod(tx, uid: uid) { if $0.terminalPhase == nil { $0.terminalPhase = phase } }
                }
                if let json { _ = try tx.enqueueStatus(podUID: uid, namespace: ns, name: name, statusJSON: json, at: now) }
            }
            if statusChanged { config.statusQueued?() }
        }
        for c in changed {
            if let i = run.conditions.firstIndex(where: { $0.type == c.type }) { run.conditions[i] = c } else { run.conditions.append(c) }
        }
        statuses.set(run.uid, pod: pod)
        if podChanged && podRec.terminalPhase != nil { run.wake(after: 0) }
    }

    /// Tells the prober manager which containers run (their workers start or stop), then reads
    /// what the probes make of each container's `started` and `ready`.
    func probeStatuses(_ run: SyncRun, podIP: String) -> [String: ContainerProbeStatus] {
        guard run.pod.spec.containers.contains(where: ProbeManager.hasProbes) else {
            probes.observe(uid: run.uid, pod: run.pod, running: [:], podIP: podIP)
            return [:]
        }
        var running: [String: ProbeManager.RunningContainer] = [:]
        for c in run.pod.spec.containers {
            guard let rec = run.containers[c.name], let id = rec.containerID,
                  StatusBuilder.decodeState(rec.stateJSON).running != nil else { continue }
            running[c.name] = ProbeManager.RunningContainer(id: id, startedAt: rec.startedAt ?? Date())
        }
        if run.record.terminalPhase != nil { running = [:] }
        probes.observe(uid: run.uid, pod: run.pod, running: running, podIP: podIP)
        var out: [String: ContainerProbeStatus] = [:]
        for c in run.pod.spec.containers where ProbeManager.hasProbes(c) {
            let id = running[c.name]?.id
            out[c.name] = probes.status(uid: run.uid, container: c, containerID: id, running: id != nil)
        }
        return out
    }

    /// Changes the fields a worker owns on the stored pod record, reading it inside the
    /// transaction so a new desired spec stored meanwhile by the agent is kept.
    static func updatePod(_ tx: StoreTransaction, uid: String, _ change: (inout PodRecord) -> Void) throws {
        guard var r = try tx.pod(uid: uid) else { return }
        change(&r)
        r.updatedAt = Date()
        try tx.savePod(r)
    }

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }()
}

extension PodSyncer {
    /// Deletes the pod with `uid`: kills its containers, removes its sandboxes and records.
    /// Deletes the pod (kill, remove sandboxes, drop records).
    /// - Returns: true when the pod is gone; false when it must be tried again (the runtime or
    ///   the store failed), which the pod's worker does with back-off.
    func delete(uid: String) async -> Bool {
        probes.removePod(uid)
        do {
            guard let run = try load(uid: uid) else { return true }
            try await PodKiller(syncer: self).deletePod(run)
            return true
        } catch {
            logger.error("cannot delete pod, will retry", metadata: ["uid": "\(uid)", "error": "\(error)"])
            return false
        }
    }
}

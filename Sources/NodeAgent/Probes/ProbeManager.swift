import Foundation
import Logging
import PodAPI
import Prober
import StateStore

/// The agent's prober manager, as kubelet's: one worker per running container and probe type,
/// each probing on its period and keeping its result in a cache keyed by container ID; the pod
/// sync reads the cache for status (``status(uid:container:containerID:running:)``) and for
/// kills (``failedProbe(uid:container:containerID:)``). A result that changes asks for a sync of
/// the pod at once (``setOnChange(_:)``), so status follows without waiting for a relist.
///
/// kubelet's rules: initial results readiness Failure, liveness Success, startup Unknown; while
/// a startup probe has not succeeded, liveness and readiness do not run; a passed startup probe
/// is not run again for that container; a liveness or startup Failure holds the worker until a
/// new container (new ID) appears; a new container starts over. `grpc` probes are never run:
/// one Warning event per container, the result stays the initial one (readiness never passes,
/// liveness and startup never kill).
///
/// Each failed probe records a Warning event `Unhealthy` (`Liveness probe failed: <output>`);
/// the store folds repeats into one event with a count.
final class ProbeManager: @unchecked Sendable {
    struct Key: Hashable {
        var uid: String
        var container: String
        var kind: ProbeKind
    }

    /// A running container as the manager is told of it.
    struct RunningContainer: Hashable {
        var id: String
        var startedAt: Date
    }

    private struct Entry {
        var containerID: String
        var result: ProbeResult
    }

    private struct WorkerRef {
        var containerID: String
        var task: Task<Void, Never>
    }

    private struct PodInfo {
        var namespace: String
        var name: String
        var pod: Pod
        var podIP: String
        var running: [String: RunningContainer]
    }

    private let handler: any ProbeHandler
    private let store: StateStore
    private let clock: any ProbeClock
    private let logger: Logger
    private let lock = NSLock()
    private var results: [Key: Entry] = [:]
    private var workers: [Key: WorkerRef] = [:]
    private var pods: [String: PodInfo] = [:]
    private var onChange: (@Sendable (String) async -> Void)?
    private var stopped = false

    init(handler: any ProbeHandler, store: StateStore, clock: any ProbeClock = SystemProbeClock(), logger: Logger) {
        self.handler = handler
        self.store = store
        self.clock = clock
        self.logger = logger
    }

    /// What to call (with the pod's UID) when a probe result changes.
    func setOnChange(_ f: @escaping @Sendable (String) async -> Void) {
        lock.lock()
        onChange = f
        lock.unlock()
    }

    /// Whether the container declares any probe.
    static func hasProbes(_ c: Container) -> Bool {
        ProbeKind.allCases.contains { c.other[$0.fieldName] != nil }
    }

    static func probe(_ c: Container, _ kind: ProbeKind) -> Probe? {
        switch kind {
        case .startup: return c.startupProbe
        case .readiness: return c.readinessProbe
        case .liveness: return c.livenessProbe
        }
    }

    // MARK: Reconciling

    /// Tells the manager which of the pod's containers run now (by name: ID and start time) and
    /// at which address; workers start for new containers and stop for those gone or replaced.
    func observe(uid: String, pod: Pod, running: [String: RunningContainer], podIP: String) {
        let hasAny = pod.spec.containers.contains { Self.hasProbes($0) }
        lock.lock()
        defer { lock.unlock() }
        guard !stopped else { return }
        if !hasAny && pods[uid] == nil { return }
        pods[uid] = PodInfo(
            namespace: pod.metadata.namespace ?? "default", name: pod.metadata.name ?? "", pod: pod,
            podIP: podIP, running: running)
        ensureWorkersLocked(uid)
    }

    /// Stops the pod's workers and forgets its results (the pod was deleted).
    func removePod(_ uid: String) {
        lock.lock()
        defer { lock.unlock() }
        pods[uid] = nil
        for (k, w) in workers where k.uid == uid {
            w.task.cancel()
            workers[k] = nil
        }
        for k in results.keys where k.uid == uid { results[k] = nil }
    }

    /// Stops every worker (agent shutdown).
    func shutdown() {
        lock.lock()
        stopped = true
        let all = workers.values.map(\.task)
        workers.removeAll()
        lock.unlock()
        for t in all { t.cancel() }
    }

    /// Must hold `lock`. Drops workers and results of containers no longer running (or
    /// replaced, or whose probe left the spec), starts the workers the rules allow.
    private func ensureWorkersLocked(_ uid: String) {
        guard let info = pods[uid] else { return }
        let specs = Dictionary(info.pod.spec.containers.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        for (k, w) in workers where k.uid == uid {
            let current = info.running[k.container]?.id
            let stillDeclared = specs[k.container].map { Self.probe($0, k.kind) != nil } ?? false
            if current != w.containerID || !stillDeclared {
                w.task.cancel()
                workers[k] = nil
            }
        }
        for k in results.keys where k.uid == uid && results[k]?.containerID != info.running[k.container]?.id {
            results[k] = nil
        }
        for c in info.pod.spec.containers {
            guard let rc = info.running[c.name] else { continue }
            for kind in ProbeKind.allCases {
                guard let probe = Self.probe(c, kind) else { continue }
                let key = Key(uid: uid, container: c.name, kind: kind)
                if results[key] == nil { results[key] = Entry(containerID: rc.id, result: kind.initialResult) }
                if workers[key]?.containerID == rc.id { continue }
                if kind != .startup, c.startupProbe != nil,
                    results[Key(uid: uid, container: c.name, kind: .startup)]?.result != .success
                {
                    continue  // gated until the startup probe passes
                }
                if kind == .startup, results[key]?.result == .success { continue }
                let target = ProbeTarget(containerID: rc.id, container: c, podIP: info.podIP)
                let startedAt = rc.startedAt
                let task = Task { [weak self] () -> Void in
                    guard let self else { return }
                    await self.runWorker(key: key, probe: probe, target: target, startedAt: startedAt)
                }
                workers[key] = WorkerRef(containerID: rc.id, task: task)
            }
        }
    }

    // MARK: Reading

    /// The container's `started` and `ready` as its probes and state make them.
    func status(uid: String, container c: Container, containerID: String?, running: Bool) -> ContainerProbeStatus {
        guard running, let id = containerID else { return ContainerProbeStatus(started: false, ready: false) }
        lock.lock()
        defer { lock.unlock() }
        func passed(_ kind: ProbeKind) -> Bool {
            guard let e = results[Key(uid: uid, container: c.name, kind: kind)], e.containerID == id else { return false }
            return e.result == .success
        }
        let started = c.startupProbe == nil || passed(.startup)
        let ready = started && (c.readinessProbe == nil || passed(.readiness))
        return ContainerProbeStatus(started: started, ready: ready)
    }

    /// The probe that failed for this container and wants it killed: startup, then liveness.
    func failedProbe(uid: String, container: String, containerID: String) -> ProbeKind? {
        lock.lock()
        defer { lock.unlock() }
        for kind in [ProbeKind.startup, .liveness] {
            if let e = results[Key(uid: uid, container: container, kind: kind)], e.containerID == containerID, e.result == .failure {
                return kind
            }
        }
        return nil
    }

    /// The result held for this container and probe type (tests, logs).
    func result(uid: String, container: String, kind: ProbeKind, containerID: String) -> ProbeResult? {
        lock.lock()
        defer { lock.unlock() }
        guard let e = results[Key(uid: uid, container: container, kind: kind)], e.containerID == containerID else { return nil }
        return e.result
    }

    // MARK: Workers

    private func runWorker(key: Key, probe: Probe, target: ProbeTarget, startedAt: Date) async {
        var thresholds = ProbeThresholds(kind: key.kind, probe: probe)
        var due = Date(
            timeIntervalSince1970: ProbeSchedule.first(
                startedAt: startedAt.timeIntervalSince1970,
                now: clock.now().timeIntervalSince1970, probe: probe))
        while !Task.isCancelled {
            do { try await clock.sleep(until: due) } catch { return }
            let outcome = await handler.run(probe, target: target)
            if Task.isCancelled { return }
            due = Date(
                timeIntervalSince1970: ProbeSchedule.next(
                    after: due.timeIntervalSince1970,
                    now: clock.now().timeIntervalSince1970, probe: probe))
            switch outcome {
            case .unsupported(let message):
                recordEvent(key, "\(key.kind.rawValue) probe errored: \(message)")
                logger.warning(
                    "probe not supported; it is not run",
                    metadata: [
                        "pod": "\(key.uid)", "container": "\(key.container)", "probe": "\(key.kind.rawValue)", "reason": "\(message)",
                    ])
                return
            case .failure(let output):
                recordEvent(key, "\(key.kind.rawValue) probe failed: \(output)")
            case .error(let message):
                recordEvent(key, "\(key.kind.rawValue) probe errored and resulted in unknown state: \(message)")
            case .success:
                break
            }
            guard let result = thresholds.record(success: outcome.isSuccess) else { continue }
            guard set(key, containerID: target.containerID, result) else { return }
            if key.kind == .startup && result == .success { return }
            if (key.kind == .liveness || key.kind == .startup) && result == .failure { return }  // held until a new container
        }
    }

    /// Stores a worker's result; when it changed, asks for a sync of the pod (and, for a passed
    /// startup probe, starts the liveness and readiness workers it gated).
    /// - Returns: false when the container is no longer the one probed (the worker ends).
    private func set(_ key: Key, containerID: String, _ result: ProbeResult) -> Bool {
        lock.lock()
        guard !stopped, let e = results[key], e.containerID == containerID else {
            lock.unlock()
            return false
        }
        let changed = e.result != result
        if changed {
            results[key] = Entry(containerID: containerID, result: result)
            if key.kind == .startup && result == .success { ensureWorkersLocked(key.uid) }
        }
        let notify = onChange
        lock.unlock()
        if changed {
            logger.info(
                "probe result changed",
                metadata: [
                    "pod": "\(key.uid)", "container": "\(key.container)", "probe": "\(key.kind.rawValue)", "result": "\(result.rawValue)",
                ])
            if let notify { Task { await notify(key.uid) } }
        }
        return true
    }

    private func recordEvent(_ key: Key, _ message: String) {
        lock.lock()
        let info = pods[key.uid]
        let stopped = self.stopped
        lock.unlock()
        guard let info, !stopped else { return }
        let now = Date()
        let ev = EventRecord(
            podUID: key.uid, namespace: info.namespace, podName: info.name, fieldPath: "spec.containers{\(key.container)}",
            type: "Warning", reason: EventReason.unhealthy, message: message, count: 1, firstTimestamp: now, lastTimestamp: now)
        do {
            try store.write { tx in _ = try tx.appendEvent(ev) }
        } catch {
            logger.error("cannot record probe event", metadata: ["pod": "\(info.namespace)/\(info.name)", "error": "\(error)"])
        }
    }
}

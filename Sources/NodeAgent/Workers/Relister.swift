import ContainerRuntime
import Foundation
import Logging

/// Notices what changed in the runtime and triggers a sync of each pod concerned: kubelet's PLEG.
///
/// Generic (kubelet's generic PLEG): lists the runtime's containers and sandboxes every
/// `period` seconds (default 1 s) and triggers a sync of each pod whose containers or sandbox
/// changed state or vanished. Evented (kubelet's evented PLEG): when the runtime offers container
/// events (CRI `GetContainerEvents`, ``follow(_:)``), each event triggers its pod's sync at once,
/// and the list runs only every `eventedPeriod` seconds (default 300 s) to catch anything an event
/// missed. When the stream ends or fails, the relister lists at once, goes back to `period`, and
/// subscribes again, at most ``maxStreamRetries`` times in a row (kubelet's 5) before it stays
/// generic. Its runtime is the agent's ``InstrumentedRuntime``, so its calls are in the metrics.
actor Relister {
    /// Failed subscriptions in a row after which the relister stays generic (kubelet: 5).
    static let maxStreamRetries = 5

    private let runtime: any RuntimeService
    private let period: Double
    private let eventedPeriod: Double
    private let onChange: @Sendable (Set<String>) async -> Void
    private let metrics: AgentMetrics
    private let logger: Logger
    private var last: [String: (uid: String, state: RuntimeContainerState)] = [:]
    private var lastSandboxes: [String: (uid: String, state: SandboxState)] = [:]
    private(set) var lastRelist: Date?
    private(set) var lastError: String?
    /// Whether an event stream is being followed now.
    private(set) var evented = false
    /// When the loop last completed a pass, a list or (while evented) a tick.
    private(set) var lastPass: Date?

    init(
        runtime: any RuntimeService, period: Double, eventedPeriod: Double = 300, metrics: AgentMetrics, logger: Logger,
        onChange: @escaping @Sendable (Set<String>) async -> Void
    ) {
        self.runtime = runtime
        self.period = period
        self.eventedPeriod = eventedPeriod
        self.metrics = metrics
        self.logger = logger
        self.onChange = onChange
    }

    /// The relist period in force, seconds: `eventedPeriod` while events flow, else `period`.
    var currentPeriod: Double { evented ? max(eventedPeriod, period) : period }

    /// How long without a relist before the agent reports itself unhealthy, seconds: three
    /// periods, at least 3 minutes (kubelet's relist threshold; 10 minutes while evented).
    var healthThreshold: Double { evented ? max(600, eventedPeriod * 2) : max(180, period * 3) }

    /// Passes every `period` seconds until cancelled, the first one period from now (the
    /// agent's start relists once before it starts this loop). A pass lists the runtime, except
    /// while events flow and the last list is younger than `eventedPeriod`: then it only records
    /// that the loop is alive (``lastPass``, what the systemd watchdog checks). So a stream that
    /// ends is followed by a list within one `period`.
    func run() async {
        while !Task.isCancelled {
            try? await Task.sleep(nanoseconds: UInt64(min(max(period, 0.01), 3600) * 1e9))
            if Task.isCancelled { return }
            if evented, let last = lastRelist, Date().timeIntervalSince(last) < currentPeriod {
                lastPass = Date()
                continue
            }
            await relist()
        }
    }

    /// Subscribes to the runtime's events: the stream, or nil when the runtime offers none.
    /// Call before the first ``relist()``, so that no change falls between the two.
    func subscribe() async -> AsyncThrowingStream<ContainerEvent, any Error>? {
        do {
            let stream = try await runtime.containerEvents()
            if stream != nil { metrics.observeEventStream(connected: true) }
            return stream
        } catch {
            metrics.observeEventStream(connected: false)
            logger.warning("container events unavailable; relisting", metadata: ["error": "\(error)"])
            return nil
        }
    }

    /// Follows `stream` (from ``subscribe()``, taken before the first relist) until cancelled;
    /// subscribes again when it ends, up to ``maxStreamRetries`` failures in a row.
    func follow(_ first: AsyncThrowingStream<ContainerEvent, any Error>) async {
        var stream: AsyncThrowingStream<ContainerEvent, any Error>? = first
        var failures = 0
        while !Task.isCancelled {
            if let current = stream {
                evented = true  // the loop sleeps the evented period from its next pass
                var received = false
                do {
                    for try await event in current {
                        received = true
                        await apply(event)
                    }
                    lastError = "container event stream ended"
                } catch {
                    lastError = "container event stream failed: \(error)"
                }
                if received { failures = 0 }
                metrics.observeEventStream(connected: false)
                evented = false  // the loop lists at its next pass: what happened meanwhile has no event
                if Task.isCancelled { return }
                logger.warning("container event stream ended; relisting every \(period) s", metadata: ["error": "\(lastError ?? "")"])
            }
            failures += 1
            if failures > Self.maxStreamRetries {
                logger.warning("container events failed \(Self.maxStreamRetries) times in a row; relisting from now on")
                return
            }
            try? await Task.sleep(nanoseconds: 1_000_000_000)
            if Task.isCancelled { return }
            stream = await subscribe()
            if stream == nil, failures >= Self.maxStreamRetries { return }
            // The changes between the end of the old stream and the new subscription have no
            // event: a relist right after subscribing catches them.
            if stream != nil { await relist() }
        }
    }

    /// Records what `event` changed, as the next relist would see it, and syncs its pod. An
    /// event without the pod's UID (a runtime that sent no sandbox status, e.g. for a sandbox
    /// already removed) takes it from what the last list or event said of that object, and
    /// when none did, the relister lists now.
    func apply(_ received: ContainerEvent) async {
        var event = received
        if event.podSandboxID.isEmpty, lastSandboxes[event.containerID] != nil { event.podSandboxID = event.containerID }
        if event.podUID.isEmpty {
            guard let uid = last[event.containerID]?.uid ?? lastSandboxes[event.containerID]?.uid else {
                // An object no list has seen yet: a list tells whose it is, and syncs its pod.
                await relist()
                return
            }
            event.podUID = uid
        }
        if event.isSandbox {
            switch event.type {
            case .created, .started: lastSandboxes[event.containerID] = (event.podUID, .ready)
            case .stopped: lastSandboxes[event.containerID] = (event.podUID, .notReady)
            case .deleted: lastSandboxes.removeValue(forKey: event.containerID)
            }
        } else {
            switch event.type {
            case .created: last[event.containerID] = (event.podUID, .created)
            case .started: last[event.containerID] = (event.podUID, .running)
            case .stopped: last[event.containerID] = (event.podUID, .exited)
            case .deleted: last.removeValue(forKey: event.containerID)
            }
        }
        metrics.observeContainerEvent()
        await onChange([event.podUID])
    }

    /// One pass: returns the pods that changed (also handed to `onChange`).
    @discardableResult
    func relist() async -> Set<String> {
        let start = Date()
        let managed = [RuntimeConfigs.managedLabel: "true"]
        do {
            let containers = try await runtime.listContainers(filter: ContainerFilter(labelSelector: [:]))
            let sandboxes = try await runtime.listPodSandboxes(labelSelector: managed)
            var changed = Set<String>()
            var now: [String: (uid: String, state: RuntimeContainerState)] = [:]
            now.reserveCapacity(containers.count)
            for c in containers {
                guard let uid = c.labels[KubeletLabels.podUID] else { continue }
                now[c.id] = (uid, c.state)
                if last[c.id]?.state != c.state { changed.insert(uid) }
            }
            for (id, old) in last where now[id] == nil { changed.insert(old.uid) }
            var sbNow: [String: (uid: String, state: SandboxState)] = [:]
            for s in sandboxes {
                sbNow[s.id] = (s.uid, s.state)
                if let old = lastSandboxes[s.id], old.state != s.state { changed.insert(s.uid) }
            }
            for (id, old) in lastSandboxes where sbNow[id] == nil { changed.insert(old.uid) }
            let first = lastRelist == nil
            last = now
            lastSandboxes = sbNow
            lastRelist = Date()
            lastPass = lastRelist
            if !evented { lastError = nil }
            metrics.observeRelist(seconds: Date().timeIntervalSince(start))
            if !changed.isEmpty && !first { await onChange(changed) }
            return first ? [] : changed
        } catch {
            lastError = "\(error)"
            logger.warning("relist failed", metadata: ["error": "\(error)"])
            return []
        }
    }
}

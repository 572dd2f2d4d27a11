import ContainerRuntime
import Foundation
import Logging

/// Lists the runtime's containers every period and triggers a sync of each pod whose
/// containers changed state or vanished, as kubelet's generic PLEG relist (default 1 s). Its
/// runtime is the agent's ``InstrumentedRuntime``, so its calls are in the metrics.
actor Relister {
    private let runtime: any RuntimeService
    private let period: Double
    private let onChange: @Sendable (Set<String>) async -> Void
    private let metrics: AgentMetrics
    private let logger: Logger
    private var last: [String: (uid: String, state: RuntimeContainerState)] = [:]
    private var lastSandboxes: [String: (uid: String, state: SandboxState)] = [:]
    private(set) var lastRelist: Date?
    private(set) var lastError: String?

    init(
        runtime: any RuntimeService, period: Double, metrics: AgentMetrics, logger: Logger,
        onChange: @escaping @Sendable (Set<String>) async -> Void
    ) {
        self.runtime = runtime
        self.period = period
        self.metrics = metrics
        self.logger = logger
        self.onChange = onChange
    }

    /// Relists until cancelled.
    func run() async {
        while !Task.isCancelled {
            await relist()
            try? await Task.sleep(nanoseconds: UInt64(min(max(period, 0.01), 3600) * 1e9))
        }
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
            lastError = nil
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

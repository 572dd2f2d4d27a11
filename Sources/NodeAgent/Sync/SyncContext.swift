import ContainerRuntime
import Foundation
import Logging
import PodAPI
import StateStore

/// The narrow capabilities an executor of ``PodActions`` gets: the runtime (already
/// instrumented), the store to write records and events to, the back-off clocks, the probe
/// results, the crash hooks and a logger. No executor holds the ``PodSyncer``; events go to the
/// ``SyncRun``'s sink and are written with the next record.
struct SyncContext: Sendable {
    let runtime: any RuntimeService
    let store: StateStore
    let backoff: Backoff
    let probes: ProbeManager
    let hooks: AgentHooks
    let metrics: AgentMetrics
    let settings: SyncSettings
    let logger: Logger

    /// Stores a container record, with the run's pending events, in one transaction.
    /// - Throws: the store's error.
    func save(_ run: SyncRun, container rec: ContainerRecord) async throws {
        run.containers[rec.name] = rec
        let events = run.drainEvents(at: Date())
        try await write(run) { tx in
            try tx.saveContainer(rec)
            for e in events { try tx.appendEvent(e) }
        }
    }

    /// Notes what was observed of a container (it runs, its start time and imageID) without a
    /// transaction of its own: the run's next write or its status writes it. Only for what the
    /// runtime can tell again: an agent stopped before that write finds the container by its
    /// stored ID and records it then. (One transaction fewer per container started.)
    func note(_ run: SyncRun, container rec: ContainerRecord) {
        run.containers[rec.name] = rec
        run.unsaved[rec.name] = rec
    }

    /// A write of the sync, after the run's noted container records, conditions and update
    /// steps, all or nothing. Syncs of
    /// other pods writing at the same time share its transaction (`StateStore.writeGrouped`).
    /// - Throws: the store's error (the noted records stay noted).
    @discardableResult
    func write<T: Sendable>(_ run: SyncRun, _ body: @escaping @Sendable (StoreTransaction) throws -> T) async throws -> T {
        let noted = Array(run.unsaved.values)
        let conditions = Array(run.unsavedConditions.values)
        let updates = Array(run.unsavedUpdates.values)
        let result = try await store.writeGrouped { tx in
            for c in noted { try tx.saveContainer(c) }
            for c in conditions { try tx.saveCondition(c) }
            for u in updates { try tx.saveUpdate(u) }
            return try body(tx)
        }
        run.unsaved.removeAll()
        run.unsavedConditions.removeAll()
        run.unsavedUpdates.removeAll()
        return result
    }

    /// CRI ContainerStatus of `id`, or nil when the runtime no longer has it.
    /// - Throws: ``RuntimeError`` other than not-found.
    func containerStatusIfPresent(_ id: String) async throws -> RuntimeContainerStatus? {
        do {
            return try await runtime.containerStatus(id: id)
        } catch let e as RuntimeError where e.isNotFound {
            return nil
        }
    }

    /// The back-off key of one container (or `/sandbox`) of a pod: `<uid>/<name>`.
    func backoffKey(_ run: SyncRun, _ container: String) -> String { "\(run.uid)/\(container)" }

    /// The restart back-off key of a container, as kubelet keys it: pod, container name and spec
    /// hash, so a changed spec (a fixed image) starts at once instead of waiting out the old
    /// back-off.
    func crashKey(_ run: SyncRun, _ c: Container) -> String {
        backoffKey(run, c.name) + "/" + ContainerHasher.hex(c, algorithm: settings.hashAlgorithm)
    }

    /// The pull back-off key of a container, as kubelet keys image pulls: by the image.
    func pullKey(_ run: SyncRun, _ c: Container) -> String {
        backoffKey(run, c.name) + "/pull/" + (c.image ?? "")
    }

    /// `<runtime>://<id>`, as status shows container IDs.
    func statusID(_ id: String) -> String { "\(settings.runtimeName)://\(id)" }

    /// Changes the fields a worker owns on the stored pod record, reading it inside the
    /// transaction so a new desired spec stored meanwhile by the agent is kept.
    static func updatePod(_ tx: StoreTransaction, uid: String, _ change: (inout PodRecord) -> Void) throws {
        guard var r = try tx.pod(uid: uid) else { return }
        change(&r)
        r.updatedAt = Date()
        try tx.savePod(r)
    }

    /// The termination of a dead container, from the runtime's status; kubelet's fabricated
    /// `ContainerStatusUnknown` (exit 137) when the runtime no longer has it.
    static func termination(_ o: RuntimeContainerStatus?, containerID: String, fallbackStartedAt: Date?) -> ContainerTermination {
        guard let o else {
            return ContainerTermination(
                exitCode: ContainerTermination.unknownExitCode, reason: "ContainerStatusUnknown",
                message: "The container could not be located when the pod was terminated",
                startedAt: fallbackStartedAt, finishedAt: Date(), containerID: containerID)
        }
        let date: (Int64) -> Date? = { $0 > 0 ? Date(timeIntervalSince1970: Double($0) / 1e9) : nil }
        let reason = o.reason.isEmpty ? (o.exitCode == 0 ? "Completed" : "Error") : o.reason
        return ContainerTermination(
            exitCode: o.exitCode, reason: reason, message: o.message.isEmpty ? nil : o.message,
            startedAt: date(o.startedAt), finishedAt: date(o.finishedAt) ?? Date(), containerID: containerID)
    }
}

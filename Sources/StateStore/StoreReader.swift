import Foundation
internal import GRDB

/// Read access to the store, valid only inside the `StateStore.read` (or `write`) body that
/// received it. Every method throws `StoreError.database(operation:table:detail:)` on failure.
public struct StoreReader {
    let db: Database

    // MARK: Pods

    /// All pods, ordered by namespace then name.
    public func pods() throws -> [PodRecord] {
        try fetch("pods", table: "pods", PodRecord.init(row:), sql: "SELECT * FROM pods ORDER BY namespace, name")
    }

    /// The pod with this uid, or nil.
    public func pod(uid: String) throws -> PodRecord? {
        try fetch(
            "pod(uid:)", table: "pods", PodRecord.init(row:),
            sql: "SELECT * FROM pods WHERE uid = ?", [uid]
        ).first
    }

    /// The pod with this namespace and name, or nil.
    public func pod(namespace: String, name: String) throws -> PodRecord? {
        try fetch(
            "pod(namespace:name:)", table: "pods", PodRecord.init(row:),
            sql: "SELECT * FROM pods WHERE namespace = ? AND name = ?", [namespace, name]
        ).first
    }

    // MARK: Sandboxes, containers, conditions

    /// The pod's sandboxes, ordered by attempt then creation time.
    public func sandboxes(podUID: String) throws -> [SandboxRecord] {
        try fetch(
            "sandboxes", table: "sandboxes", SandboxRecord.init(row:),
            sql: "SELECT * FROM sandboxes WHERE podUID = ? ORDER BY attempt, createdAt, id", [podUID])
    }

    /// The pod's containers, ordered by name.
    public func containers(podUID: String) throws -> [ContainerRecord] {
        try fetch(
            "containers", table: "containers", ContainerRecord.init(row:),
            sql: "SELECT * FROM containers WHERE podUID = ? ORDER BY name", [podUID])
    }

    /// The container `name` of the pod, or nil.
    public func container(podUID: String, name: String) throws -> ContainerRecord? {
        try fetch(
            "container", table: "containers", ContainerRecord.init(row:),
            sql: "SELECT * FROM containers WHERE podUID = ? AND name = ?", [podUID, name]
        ).first
    }

    /// Every container of every pod, ordered by pod uid then name.
    public func allContainers() throws -> [ContainerRecord] {
        try fetch(
            "allContainers", table: "containers", ContainerRecord.init(row:),
            sql: "SELECT * FROM containers ORDER BY podUID, name")
    }

    /// The pod's stored conditions, ordered by type.
    public func conditions(podUID: String) throws -> [ConditionRecord] {
        try fetch(
            "conditions", table: "conditions", ConditionRecord.init(row:),
            sql: "SELECT * FROM conditions WHERE podUID = ? ORDER BY type", [podUID])
    }

    // MARK: In-place updates

    /// The pod's in-place updates, oldest first.
    public func updates(podUID: String) throws -> [InPlaceUpdateRecord] {
        try fetch(
            "updates", table: "updates", InPlaceUpdateRecord.init(row:),
            sql: "SELECT * FROM updates WHERE podUID = ? ORDER BY id", [podUID])
    }

    /// The update with this id, or nil.
    public func update(id: Int64) throws -> InPlaceUpdateRecord? {
        try fetch(
            "update(id:)", table: "updates", InPlaceUpdateRecord.init(row:),
            sql: "SELECT * FROM updates WHERE id = ?", [id]
        ).first
    }

    /// Every update whose step is neither `Completed` nor `Failed`, oldest first: what the agent
    /// resumes after a restart.
    public func unfinishedUpdates() throws -> [InPlaceUpdateRecord] {
        try fetch(
            "unfinishedUpdates", table: "updates", InPlaceUpdateRecord.init(row:),
            sql: "SELECT * FROM updates WHERE step NOT IN ('Completed', 'Failed') ORDER BY id")
    }

    // MARK: Events

    /// The newest `limit` events (of one pod when `podUID` is given, else of all pods), returned
    /// oldest first, ordered by lastTimestamp.
    public func events(podUID: String? = nil, limit: Int) throws -> [EventRecord] {
        let filter = podUID == nil ? "" : "WHERE podUID = ?"
        let arguments: StatementArguments = podUID.map { [$0, max(0, limit)] } ?? [max(0, limit)]
        return try fetch(
            "events", table: "events", EventRecord.init(row:),
            sql: """
                SELECT * FROM (
                    SELECT * FROM events \(filter) ORDER BY lastTimestamp DESC, id DESC LIMIT ?
                ) ORDER BY lastTimestamp, id
                """, arguments)
    }

    // MARK: Outbox

    /// Up to `limit` queued statuses that are due at `now` (no `nextAttemptAt`, or one not after
    /// `now`), the longest waiting first.
    public func pendingStatuses(limit: Int, now: Date) throws -> [OutboxRecord] {
        try fetch(
            "pendingStatuses", table: "outbox", OutboxRecord.init(row:),
            sql: """
                SELECT * FROM outbox WHERE nextAttemptAt IS NULL OR nextAttemptAt <= ?
                ORDER BY enqueuedAt, podUID LIMIT ?
                """, [now.storeValue, max(0, limit)])
    }

    /// The queued status of this pod, due or not, or nil.
    public func outboxEntry(podUID: String) throws -> OutboxRecord? {
        try fetch(
            "outboxEntry", table: "outbox", OutboxRecord.init(row:),
            sql: "SELECT * FROM outbox WHERE podUID = ?", [podUID]
        ).first
    }

    /// The number of queued statuses, due or not (one per pod at most).
    public func outboxDepth() throws -> Int {
        try mapErrors("outboxDepth", table: "outbox") {
            try Int.fetchOne(cached: db, sql: "SELECT COUNT(*) FROM outbox") ?? 0
        }
    }

    // MARK: -

    private func fetch<R>(
        _ operation: String, table: String, _ decode: (Row) throws -> R,
        sql: String, _ arguments: StatementArguments = StatementArguments()
    ) throws -> [R] {
        try mapErrors(operation, table: table) {
            try Row.fetchAll(cached: db, sql: sql, arguments: arguments).map(decode)
        }
    }
}

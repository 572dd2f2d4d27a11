import Foundation
internal import GRDB

/// Write access to the store: one transaction, valid only inside the `StateStore.write` body that
/// received it. It reads what the transaction has written so far, as a `StoreReader` does (the
/// same methods are available here). Every method throws `StoreError` on failure; the caller lets
/// the error leave the body, which rolls the whole transaction back.
public struct StoreTransaction {
    let db: Database
    let options: StoreOptions
    let pruning: EventPruning

    init(db: Database, options: StoreOptions, pruning: EventPruning) {
        self.db = db
        self.options = options
        self.pruning = pruning
    }

    /// A reader over this transaction (it sees the transaction's own writes).
    public var reader: StoreReader { StoreReader(db: db) }

    func execute(
        _ operation: String, table: String, sql: String,
        _ arguments: StatementArguments = StatementArguments()
    ) throws {
        try mapErrors(operation, table: table) { try db.run(sql: sql, arguments: arguments) }
    }
}

// The reads, as in `StoreReader`.
extension StoreTransaction {
    /// See `StoreReader.pods()`.
    public func pods() throws -> [PodRecord] { try reader.pods() }
    /// See `StoreReader.pod(uid:)`.
    public func pod(uid: String) throws -> PodRecord? { try reader.pod(uid: uid) }
    /// See `StoreReader.pod(namespace:name:)`.
    public func pod(namespace: String, name: String) throws -> PodRecord? {
        try reader.pod(namespace: namespace, name: name)
    }
    /// See `StoreReader.sandboxes(podUID:)`.
    public func sandboxes(podUID: String) throws -> [SandboxRecord] { try reader.sandboxes(podUID: podUID) }
    /// See `StoreReader.containers(podUID:)`.
    public func containers(podUID: String) throws -> [ContainerRecord] { try reader.containers(podUID: podUID) }
    /// See `StoreReader.container(podUID:name:)`.
    public func container(podUID: String, name: String) throws -> ContainerRecord? {
        try reader.container(podUID: podUID, name: name)
    }
    /// See `StoreReader.allContainers()`.
    public func allContainers() throws -> [ContainerRecord] { try reader.allContainers() }
    /// See `StoreReader.conditions(podUID:)`.
    public func conditions(podUID: String) throws -> [ConditionRecord] { try reader.conditions(podUID: podUID) }
    /// See `StoreReader.updates(podUID:)`.
    public func updates(podUID: String) throws -> [InPlaceUpdateRecord] { try reader.updates(podUID: podUID) }
    /// See `StoreReader.update(id:)`.
    public func update(id: Int64) throws -> InPlaceUpdateRecord? { try reader.update(id: id) }
    /// See `StoreReader.unfinishedUpdates()`.
    public func unfinishedUpdates() throws -> [InPlaceUpdateRecord] { try reader.unfinishedUpdates() }
    /// See `StoreReader.events(podUID:limit:)`.
    public func events(podUID: String? = nil, limit: Int) throws -> [EventRecord] {
        try reader.events(podUID: podUID, limit: limit)
    }
    /// See `StoreReader.pendingStatuses(limit:now:)`.
    public func pendingStatuses(limit: Int, now: Date) throws -> [OutboxRecord] {
        try reader.pendingStatuses(limit: limit, now: now)
    }
    /// See `StoreReader.outboxEntry(podUID:)`.
    public func outboxEntry(podUID: String) throws -> OutboxRecord? { try reader.outboxEntry(podUID: podUID) }
    /// See `StoreReader.outboxDepth()`.
    public func outboxDepth() throws -> Int { try reader.outboxDepth() }
}

import APIStore
import Foundation
import GRDB
import Synchronization

/// The embedded ``KeyValueStore``: one SQLite file (GRDB, WAL), etcd's model kept in three tables:
/// `kv` (each key's value, create and mod revision), `changes` (the change log the watches replay,
/// the newest `retainedChanges` kept; older ones are compacted) and `meta` (the revision counter
/// and the compacted revision). Every write is one transaction that raises the revision by one.
///
/// Watches are served from the change log and then from an in-process broadcast of each commit.
public final class SQLiteKeyValueStore: KeyValueStore, Sendable {
    let queue: DatabaseQueue
    let retainedChanges: Int64
    let hub = ChangeHub()

    /// Opens (creating if needed) the store at `path`.
    /// - Parameter retainedChanges: how many changes the log keeps for watches (older watches get
    ///   `StoreError.compacted`, and the API server answers 410 Expired).
    /// - Throws: GRDB's `DatabaseError` when the file cannot be opened or migrated.
    public init(path: String, retainedChanges: Int64 = 100_000) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        queue = try DatabaseQueue(path: path, configuration: configuration)
        self.retainedChanges = retainedChanges
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE kv (key TEXT PRIMARY KEY NOT NULL, value BLOB NOT NULL,
                                     create_rev INTEGER NOT NULL, mod_rev INTEGER NOT NULL);
                    CREATE TABLE changes (rev INTEGER PRIMARY KEY NOT NULL, key TEXT NOT NULL, deleted INTEGER NOT NULL,
                                          value BLOB NOT NULL, create_rev INTEGER NOT NULL,
                                          prev_value BLOB, prev_mod_rev INTEGER);
                    CREATE TABLE meta (id INTEGER PRIMARY KEY CHECK (id = 1), revision INTEGER NOT NULL,
                                       compacted INTEGER NOT NULL);
                    INSERT INTO meta (id, revision, compacted) VALUES (1, 1, 0);
                    """)
        }
        try migrator.migrate(queue)
    }

    public func get(_ key: String) async throws(StoreError) -> (value: StoredValue?, revision: Int64) {
        try await run("get \(key)") { db in
            (try Self.read(db, key), try Self.revision(db))
        }
    }

    public func list(prefix: String) async throws(StoreError) -> (values: [StoredValue], revision: Int64) {
        try await run("list \(prefix)") { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT key, value, create_rev, mod_rev FROM kv WHERE key >= ? AND key < ? ORDER BY key",
                arguments: [prefix, Self.rangeEnd(prefix)])
            return (rows.map(Self.value), try Self.revision(db))
        }
    }

    public func create(_ key: String, value: [UInt8]) async throws(StoreError) -> StoredValue {
        let event: StoreEvent = try await write("create \(key)") { db in
            if try Self.read(db, key) != nil { throw StoreError.alreadyExists(key: key) }
            let rev = try Self.nextRevision(db)
            let stored = StoredValue(key: key, value: value, createRevision: rev, modRevision: rev)
            try db.execute(
                sql: "INSERT INTO kv (key, value, create_rev, mod_rev) VALUES (?, ?, ?, ?)",
                arguments: [key, Data(value), rev, rev])
            return StoreEvent(kind: .put, value: stored)
        }
        return event.value
    }

    public func update(_ key: String, value: [UInt8], expectedRevision: Int64) async throws(StoreError) -> StoredValue {
        let event: StoreEvent = try await write("update \(key)") { db in
            guard let current = try Self.read(db, key) else { throw StoreError.notFound(key: key) }
            guard current.modRevision == expectedRevision else { throw StoreError.conflict(key: key, current: current) }
            let rev = try Self.nextRevision(db)
            try db.execute(sql: "UPDATE kv SET value = ?, mod_rev = ? WHERE key = ?", arguments: [Data(value), rev, key])
            return StoreEvent(
                kind: .put, value: StoredValue(key: key, value: value, createRevision: current.createRevision, modRevision: rev),
                previous: current)
        }
        return event.value
    }

    public func delete(_ key: String, expectedRevision: Int64?) async throws(StoreError) -> StoredValue {
        let event: StoreEvent = try await write("delete \(key)") { db in
            guard let current = try Self.read(db, key) else { throw StoreError.notFound(key: key) }
            if let expectedRevision, current.modRevision != expectedRevision {
                throw StoreError.conflict(key: key, current: current)
            }
            let rev = try Self.nextRevision(db)
            try db.execute(sql: "DELETE FROM kv WHERE key = ?", arguments: [key])
            var gone = current
            gone.modRevision = rev
            return StoreEvent(kind: .delete, value: gone, previous: current)
        }
        return event.value
    }

    public func currentRevision() async throws(StoreError) -> Int64 {
        try await run("revision") { db in try Self.revision(db) }
    }

    public func watch(prefix: String, after: Int64) -> AsyncThrowingStream<StoreEvent, any Error> {
        let (stream, continuation) = AsyncThrowingStream<StoreEvent, any Error>.makeStream(bufferingPolicy: .unbounded)
        // Subscribe first, then replay the log: a commit between the two is in both, and the
        // revision filter drops the second copy.
        let subscription = hub.subscribe(prefix: prefix, continuation: continuation)
        continuation.onTermination = { [hub] _ in hub.unsubscribe(subscription) }
        do {
            let (compacted, backlog): (Int64, [StoreEvent]) = try queue.read { db in
                let compacted = try Int64.fetchOne(db, sql: "SELECT compacted FROM meta WHERE id = 1") ?? 0
                if after < compacted { return (compacted, []) }
                let rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT rev, key, deleted, value, create_rev, prev_value, prev_mod_rev FROM changes
                        WHERE rev > ? AND key >= ? AND key < ? ORDER BY rev
                        """, arguments: [after, prefix, Self.rangeEnd(prefix)])
                return (compacted, rows.map(Self.event))
            }
            if after < compacted {
                continuation.finish(throwing: StoreError.compacted(requested: after, compactRevision: compacted))
                return stream
            }
            hub.replay(subscription, backlog: backlog, after: after)
        } catch {
            continuation.finish(throwing: StoreError.unavailable(call: "watch \(prefix)", reason: "\(error)"))
        }
        return stream
    }

    // MARK: internals

    private func run<T: Sendable>(_ call: String, _ body: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        do { return try await queue.read(body) } catch let error as StoreError { throw error } catch {
            throw StoreError.unavailable(call: "sqlite \(call)", reason: "\(error)")
        }
    }

    private func write(_ call: String, _ body: @escaping @Sendable (Database) throws -> StoreEvent) async throws(StoreError) -> StoreEvent {
        let retained = retainedChanges
        let hub = self.hub
        let event: StoreEvent
        do {
            event = try await queue.write { db in
                let event = try body(db)
                try db.execute(
                    sql: """
                        INSERT INTO changes (rev, key, deleted, value, create_rev, prev_value, prev_mod_rev)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        event.revision, event.value.key, event.kind == .delete ? 1 : 0, Data(event.value.value),
                        event.value.createRevision, event.previous.map { Data($0.value) }, event.previous?.modRevision,
                    ])
                let floor = event.revision - retained
                if floor > 0, event.revision % 1000 == 0 {
                    try db.execute(sql: "DELETE FROM changes WHERE rev <= ?", arguments: [floor])
                    try db.execute(sql: "UPDATE meta SET compacted = ? WHERE id = 1", arguments: [floor])
                }
                // Published inside the (serialised) write so watches see revisions in order.
                hub.publish(event)
                return event
            }
        } catch let error as StoreError { throw error } catch {
            throw StoreError.unavailable(call: "sqlite \(call)", reason: "\(error)")
        }
        return event
    }

    static func rangeEnd(_ prefix: String) -> String { prefix + "\u{10FFFF}" }

    static func read(_ db: Database, _ key: String) throws -> StoredValue? {
        try Row.fetchOne(db, sql: "SELECT key, value, create_rev, mod_rev FROM kv WHERE key = ?", arguments: [key]).map(value)
    }

    static func revision(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT revision FROM meta WHERE id = 1") ?? 1
    }

    static func nextRevision(_ db: Database) throws -> Int64 {
        try db.execute(sql: "UPDATE meta SET revision = revision + 1 WHERE id = 1")
        return try revision(db)
    }

    static func value(_ row: Row) -> StoredValue {
        let data: Data = row["value"]
        return StoredValue(key: row["key"], value: [UInt8](data), createRevision: row["create_rev"], modRevision: row["mod_rev"])
    }

    static func event(_ row: Row) -> StoreEvent {
        let data: Data = row["value"]
        let rev: Int64 = row["rev"]
        let key: String = row["key"]
        let deleted: Int = row["deleted"]
        let value = StoredValue(key: key, value: [UInt8](data), createRevision: row["create_rev"], modRevision: rev)
        var previous: StoredValue?
        if let prevData: Data = row["prev_value"], let prevRev: Int64 = row["prev_mod_rev"] {
            previous = StoredValue(key: key, value: [UInt8](prevData), createRevision: row["create_rev"], modRevision: prevRev)
        }
        return StoreEvent(kind: deleted == 1 ? .delete : .put, value: value, previous: previous)
    }
}

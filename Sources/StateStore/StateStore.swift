import Foundation
internal import GRDB
import Synchronization

/// The agent's durable state: pods, sandboxes, containers, conditions, in-place updates, events and
/// the status outbox, in one SQLite database (WAL mode, foreign keys on).
///
/// Every change goes through `write`, which runs its body in ONE transaction: either all of it is
/// committed or none of it (an error thrown by the body rolls everything back). Reads see a
/// consistent snapshot. The store is safe to share between tasks and threads; writes are serialized.
///
/// `write` and `read` are not reentrant: calling the store again from inside a body is a
/// programming error (GRDB stops the process). Use the transaction or reader that the body gets.
/// The `StoreTransaction` / `StoreReader` must not escape its body.
public final class StateStore: Sendable {
    /// The conventional name of the database file in the state directory.
    public static let databaseFileName = "inplaced.db"

    let writer: any DatabaseWriter
    /// A connection of its own that checkpoints the WAL every `options.checkpointIntervalSeconds`
    /// (PASSIVE: it never waits for, nor holds up, the writer or the readers); nil in memory.
    private let checkpointer: DatabaseQueue?
    private let checkpointing = Mutex<Task<Void, Never>?>(nil)
    /// Carries concurrent `writeGrouped` calls in shared transactions.
    let group: GroupCommit
    private let writeHealth = WriteHealth()
    /// The events past `options.maxEvents` still to delete (see `EventPruning`).
    private let pruning = EventPruning()
    /// The space given back when the volume is full (nil: none kept, or in memory).
    private let reserve: SpaceReserve?

    /// The newest write the database refused, when none has succeeded since (a full disk, a
    /// read-only or vanished file, a lock held beyond `busyTimeout`); nil while writes go through.
    public var lastWriteFailure: StoreWriteFailure? { writeHealth.failure }

    /// The reserve file given back to a full volume and not made again yet (nil: none released,
    /// or no reserve kept): its path and size in bytes.
    public var releasedReserve: (path: String, bytes: Int64)? {
        guard let reserve, reserve.isReleased else { return nil }
        return (reserve.path, reserve.bytes)
    }
    /// The database file, or nil for an in-memory store.
    public let path: String?
    public let options: StoreOptions

    /// Opens (creating it and its parent directory when missing) the database file at `path`,
    /// in WAL mode, and migrates it to this build's schema.
    ///
    /// The caller should hold the state directory's lock (`acquireLock(stateDir:)`) first.
    /// - Throws: `StoreError.open` when the directory or file cannot be created or opened,
    ///   `StoreError.corrupt` when the file is not an SQLite database or fails its integrity check,
    ///   `StoreError.newerSchema` when a newer inplaced migrated it, `StoreError.database` when a
    ///   migration fails.
    public init(path: String, options: StoreOptions = StoreOptions()) throws {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw StoreError.open(path: path, detail: "cannot create directory \(directory): \(error.localizedDescription)")
            }
        }
        // A volume too full to open the database (SQLite needs room for its WAL and shared-memory
        // files) gets the reserve's space first, so a daemon restarted on a full disk comes up.
        let reserve = options.reserveBytes > 0 ? SpaceReserve(databasePath: path, bytes: options.reserveBytes) : nil
        if let reserve, SpaceReserve.freeBytes(directory: directory) < max(reserve.bytes / 2, 1 << 20) { reserve.release() }
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: Self.configuration(options))
        } catch {
            throw Self.openError(error, path: path)
        }
        var checkpointConfig = Configuration()
        checkpointConfig.label = "inplaced.state.checkpoint"
        checkpointConfig.busyMode = .timeout(options.busyTimeout)
        let checkpointer: DatabaseQueue
        do {
            checkpointer = try DatabaseQueue(path: path, configuration: checkpointConfig)
        } catch {
            try? pool.close()
            throw Self.openError(error, path: path)
        }
        self.writer = pool
        self.group = GroupCommit(writer: pool)
        self.checkpointer = checkpointer
        self.path = path
        self.options = options
        self.reserve = reserve
        reserve?.ensure()
        do {
            try prepare(checkIntegrity: options.checkIntegrityOnOpen)
        } catch {
            try? checkpointer.close()
            try? pool.close()
            throw error
        }
        startCheckpointing()
    }

    /// Checkpoints the WAL in the background until ``close()``: once writes have paused for
    /// `options.quietCheckpointSeconds`, at least every `options.checkpointIntervalSeconds` while
    /// they go on, and at once when the WAL file has grown past `options.walRestartBytes`, when
    /// the PASSIVE checkpoint is followed by a RESTART one so that the next write starts the log
    /// over. The WAL file's size and modification time are looked at every `walWatchSeconds`.
    /// Every `identityCheckSeconds` (or `checkpointIntervalSeconds`, when shorter) it also checks
    /// that the database file is still the one the store opened (``FileIdentity``): a file
    /// removed or replaced behind the store's back is reported through ``lastWriteFailure``
    /// until the same file is back.
    private func startCheckpointing() {
        guard let checkpointer, let path else { return }
        let period = min(max(options.checkpointIntervalSeconds, 0.01), 3600)
        var schedule = CheckpointSchedule(
            period: period, quiet: options.quietCheckpointSeconds, restartBytes: options.walRestartBytes,
            watchSeconds: Self.walWatchSeconds)
        let identityEvery = min(period, Self.identityCheckSeconds)
        let busyTimeoutMs = Int(options.busyTimeout * 1000)
        let writer = self.writer
        let opened = FileIdentity(path: path)
        let health = writeHealth
        let reserve = self.reserve
        let task = Task.detached(priority: .utility) {
            var sinceIdentityCheck = 0.0
            // The log's frame count when it was last RESTART-checkpointed: until a write starts the
            // log over, it stays as it was, and needs no second RESTART.
            var restartedAt: Int?
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: UInt64(schedule.tick * 1e9))
                if Task.isCancelled { break }
                sinceIdentityCheck += schedule.tick
                let wal = Self.fileStatus(path + "-wal")
                let action = schedule.next(walBytes: wal.bytes, walModified: wal.modified)
                if action != .none {
                    let log = try? await checkpointer.writeWithoutTransaction { db -> (frames: Int, pageSize: Int) in
                        let (frames, _) = try db.checkpoint(.passive)
                        return (frames, try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 4096)
                    }
                    if action == .passiveThenRestart, let log,
                        Int64(log.frames) * Int64(log.pageSize + 24) >= schedule.restartBytes, restartedAt != log.frames
                    {
                        // On the writer's own connection, between two transactions: it waits for
                        // no writer (the checkpointer's connection, asking for the write lock while
                        // transactions followed each other, waited up to 2 s for a gap), only for
                        // the readers still inside the log, and for them at most `restartWaitMs`.
                        let done: Bool? = try? await writer.writeWithoutTransaction { db in
                            try db.execute(sql: "PRAGMA busy_timeout = \(Self.restartWaitMs)")
                            defer { try? db.execute(sql: "PRAGMA busy_timeout = \(busyTimeoutMs)") }
                            return (try? db.checkpoint(.restart)) != nil
                        }
                        if done == true {
                            restartedAt = log.frames
                        } else {
                            schedule.restartFailed(walBytes: wal.bytes)
                        }
                    }
                }
                if sinceIdentityCheck >= identityEvery {
                    sinceIdentityCheck = 0
                    if let opened { health.setFileProblem(opened.problem(path: path)) }
                    if let reserve, reserve.isReleased { reserve.ensure() }
                }
            }
        }
        checkpointing.withLock { $0 = task }
    }

    /// How often the checkpointer checks the database file's identity, in seconds.
    static let identityCheckSeconds = 5.0

    /// How long a RESTART checkpoint waits for readers to leave the log, in milliseconds; writes
    /// wait for it meanwhile.
    static let restartWaitMs = 100

    /// How often the checkpointer looks at the WAL's size, in seconds.
    static let walWatchSeconds = 0.25

    /// The size of the file at `path` in bytes and its modification time in nanoseconds since
    /// the epoch; (0, 0) when it is missing.
    private static func fileStatus(_ path: String) -> (bytes: Int64, modified: Int64) {
        var st = stat()
        guard stat(path, &st) == 0 else { return (0, 0) }
        return (Int64(st.st_size), Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec))
    }

    /// A store in memory (a single connection, no WAL), migrated and empty. For tests.
    /// - Throws: `StoreError.database` when the migration fails.
    public static func inMemory(options: StoreOptions = StoreOptions()) throws -> StateStore {
        try StateStore(inMemory: options)
    }

    private init(inMemory options: StoreOptions) throws {
        do {
            writer = try DatabaseQueue(configuration: Self.configuration(options))
        } catch {
            throw StoreError.open(path: ":memory:", detail: describe(error))
        }
        group = GroupCommit(writer: writer)
        path = nil
        checkpointer = nil
        reserve = nil
        self.options = options
        try prepare(checkIntegrity: false)
    }

    /// Runs `body` in one write transaction and returns its result. When `body` throws, nothing it
    /// wrote is kept and its error is rethrown unchanged.
    /// - Throws: whatever `body` throws (`StoreError` from the transaction's methods, or the caller's
    ///   own errors); `StoreError.database(operation: "write", ...)` when the transaction cannot
    ///   begin or commit (e.g. the database stays busy beyond `busyTimeout`).
    public func write<T>(_ body: (StoreTransaction) throws -> T) throws -> T {
        let (options, pruning) = (self.options, self.pruning)
        return try recorded(Result { try writer.write { db in try body(StoreTransaction(db: db, options: options, pruning: pruning)) } })
    }

    /// A write's result, with GRDB's errors named as ``StoreError/database(operation:table:detail:)``
    /// and the store's write health (``lastWriteFailure``) brought up to date.
    private func recorded<T>(_ result: Result<T, any Error>) throws -> T {
        switch result {
        case .success(let value):
            writeHealth.succeeded()
            // Short of space (the reserve given back): the WAL is checkpointed after every write,
            // so that it starts over instead of growing into the space the reserve freed.
            if let reserve, reserve.isReleased { checkpointNow() }
            return value
        case .failure(let error as DatabaseError):
            let failure = StoreError.database(operation: "write", table: nil, detail: describe(error) + releaseIfFull(error))
            writeHealth.failed(failure)
            throw failure
        case .failure(let error):
            writeHealth.failed(error, note: releaseIfFull(error))
            throw error
        }
    }

    /// When `error` says the volume is full (SQLITE_FULL), gives the reserve back so that the
    /// checkpoint and the retried writes can go through; returns what to add to the error.
    private func releaseIfFull(_ error: any Error) -> String {
        let full: Bool
        if let error = error as? DatabaseError {
            full = error.resultCode == .SQLITE_FULL
        } else if let error = error as? StoreError, case .database(_, _, let detail) = error {
            full = detail.contains("SQLite code 13)")
        } else {
            full = false
        }
        guard full, let reserve, reserve.release() else { return "" }
        // At once: the WAL may hold everything since the store opened, and copying it into the
        // database file needs the room just freed before new writes take it.
        checkpointNow()
        return
            "; released the \(reserve.bytes >> 20) MiB reserve \(reserve.path) so the store can checkpoint and write again: free space on the state volume"
    }

    /// A PASSIVE checkpoint now, on the checkpointer's connection (it waits for nobody); errors
    /// are left to the next one.
    private func checkpointNow() {
        _ = try? checkpointer?.writeWithoutTransaction { db in try db.checkpoint(.passive) }
    }

    /// Runs `body` with a read-only view of a consistent snapshot and returns its result.
    /// - Throws: whatever `body` throws; `StoreError.database(operation: "read", ...)` when the
    ///   snapshot cannot be opened.
    public func read<T>(_ body: (StoreReader) throws -> T) throws -> T {
        do {
            return try writer.read { db in try body(StoreReader(db: db)) }
        } catch let error as DatabaseError {
            throw StoreError.database(operation: "read", table: nil, detail: describe(error))
        }
    }

    /// `write`, without blocking the calling task's thread while waiting for the writer.
    public func writeAsync<T: Sendable>(_ body: @escaping @Sendable (StoreTransaction) throws -> T) async throws -> T {
        let (options, pruning) = (self.options, self.pruning)
        let result: Result<T, any Error>
        do {
            result = .success(try await writer.write { db in try body(StoreTransaction(db: db, options: options, pruning: pruning)) })
        } catch {
            result = .failure(error)
        }
        return try recorded(result)
    }

    /// `write`, carried with the other writes submitted meanwhile in one transaction (group
    /// commit, see `GroupCommit`): the body runs in a savepoint of its own, so it is still all or
    /// nothing, and the call returns once the transaction that carries it has committed. No
    /// thread waits for the writer meanwhile. The body must not depend on running alone: it sees
    /// what the writes before it in the same transaction wrote, as it would in sequence.
    ///
    /// Runs to its end even when the calling task is cancelled: a write that was asked for is
    /// either committed or failed, never left undecided.
    /// - Throws: whatever `body` throws (nothing of it is kept); `StoreError.database(operation:
    ///   "write", ...)` when the transaction cannot begin or commit (then nothing of any write in
    ///   it is kept).
    public func writeGrouped<T: Sendable>(_ body: @escaping @Sendable (StoreTransaction) throws -> T) async throws -> T {
        if group.tryLead() {
            defer { group.endLead() }
            return try write(body)
        }
        let (options, pruning) = (self.options, self.pruning)
        let outcome = GroupCommitOutcome<T>()
        let result: Result<T, any Error> = await withCheckedContinuation { continuation in
            group.submit(
                GroupCommit.Item(
                    apply: { db, shared in
                        if shared {
                            // A body that throws is rolled back to its savepoint; the others stay.
                            do {
                                try db.inSavepoint {
                                    outcome.result = .success(try body(StoreTransaction(db: db, options: options, pruning: pruning)))
                                    return .commit
                                }
                            } catch {
                                outcome.result = .failure(error)
                            }
                        } else {
                            // Alone in its transaction: a throwing body rolls the transaction back.
                            outcome.result = .success(try body(StoreTransaction(db: db, options: options, pruning: pruning)))
                        }
                    },
                    finish: { commitError in
                        if let commitError {
                            continuation.resume(returning: .failure(commitError))
                        } else {
                            continuation.resume(
                                returning: outcome.result
                                    ?? .failure(StoreError.database(operation: "write", table: nil, detail: "no outcome")))
                        }
                    }))
        }
        return try recorded(result)
    }

    /// `read`, without blocking the calling task's thread.
    public func readAsync<T: Sendable>(_ body: @escaping @Sendable (StoreReader) throws -> T) async throws -> T {
        do {
            return try await writer.read { db in try body(StoreReader(db: db)) }
        } catch let error as DatabaseError {
            throw StoreError.database(operation: "read", table: nil, detail: describe(error))
        }
    }

    /// Checkpoints the WAL into the database file (so a cleanly stopped agent leaves one
    /// self-contained file) and closes every connection. Any later call fails with `StoreError.database`.
    /// - Throws: `StoreError.database(operation: "close", ...)` when a connection cannot be closed.
    public func close() throws {
        checkpointing.withLock { task in
            task?.cancel()
            task = nil
        }
        try? checkpointer?.close()
        try mapErrors("close", table: nil) {
            if path != nil {
                // Best effort: a reader still inside a read makes it fail (SQLITE_BUSY), which loses
                // nothing: the WAL is checkpointed at the next open or commit instead.
                _ = try? writer.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
            }
            try writer.close()
        }
    }

    /// The names of the schema migrations applied to this database, oldest first (e.g. `["v1"]`).
    public func appliedMigrations() throws -> [String] {
        try mapErrors("appliedMigrations", table: nil) {
            try writer.read { db in try Schema.migrator.appliedMigrations(db) }
        }
    }

    // MARK: - Opening

    private static func configuration(_ options: StoreOptions) -> Configuration {
        var config = Configuration()
        config.label = "inplaced.state"
        config.foreignKeysEnabled = true  // DatabasePool puts the file in WAL mode by itself
        config.busyMode = .timeout(options.busyTimeout)
        // Reads are by key (a pod's rows, the outbox's head): a small page cache per connection and
        // few readers keep the store's memory flat as pods grow (SQLite's default is 2 MiB a connection).
        config.maximumReaderCount = 3
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA cache_size = -256")
            // The WAL is checkpointed in the background (`checkpointer`), not by the commit that
            // happens to cross 1,000 pages: that commit took milliseconds more, the tail of an
            // in-place upgrade's reaction time.
            try db.execute(sql: "PRAGMA wal_autocheckpoint = 0")
        }
        return config
    }

    /// The size, in bytes (4 MiB), the WAL file is cut back to when a checkpoint has copied it
    /// all and it starts over (`PRAGMA journal_size_limit`, on the writer and the checkpointer).
    /// Without it the file stays at the largest size it ever reached (tens of megabytes after
    /// a start-up of hundreds of pods), space a small state volume then lacks. Kept at 4 MiB
    /// rather than `walRestartBytes`: a log rewritten in place over a large file made the
    /// slowest in-place upgrades at 5,000 pods slower (p99 6.0 to 7.7 ms in 6 runs, against 3.9
    /// to 4.2 in 5 of 6) than one that grows again from 4 MiB, though the cut itself holds the
    /// commit that starts the log over (58 to 66 ms for 138 MiB).
    static let walSizeLimitBytes = 4 << 20

    /// Refuses newer schemas, checks integrity, migrates.
    private func prepare(checkIntegrity: Bool) throws {
        let label = path ?? ":memory:"
        let migrator = Schema.migrator
        do {
            // On the single writer connection, after GRDB's own setup (which sets NORMAL for WAL);
            // `synchronous` only matters to the connection that commits.
            try writer.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = \(options.synchronous.rawValue)")
                try db.execute(sql: "PRAGMA journal_size_limit = \(Self.walSizeLimitBytes)")
            }
            try checkpointer?.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA journal_size_limit = \(Self.walSizeLimitBytes)")
            }
            let (superseded, applied, problems): (Bool, Set<String>, [String]) = try writer.read { db in
                let problems = checkIntegrity ? try String.fetchAll(db, sql: "PRAGMA quick_check") : ["ok"]
                return (try migrator.hasBeenSuperseded(db), try migrator.appliedIdentifiers(db), problems)
            }
            if problems != ["ok"] {
                throw StoreError.corrupt(path: label, detail: "integrity check: " + problems.prefix(3).joined(separator: "; "))
            }
            if superseded {
                let unknown = applied.subtracting(Schema.knownMigrations).sorted()
                throw StoreError.newerSchema(path: label, unknownMigrations: unknown)
            }
            try migrator.migrate(writer)
        } catch let error as StoreError {
            throw error
        } catch {
            if let error = error as? DatabaseError, Self.isCorruption(error) {
                throw StoreError.corrupt(path: label, detail: describe(error))
            }
            throw StoreError.database(operation: "migrate", table: nil, detail: "\(label): \(describe(error))")
        }
    }

    private static func openError(_ error: any Error, path: String) -> StoreError {
        if let error = error as? DatabaseError, isCorruption(error) {
            return .corrupt(path: path, detail: describe(error))
        }
        return .open(path: path, detail: describe(error))
    }

    private static func isCorruption(_ error: DatabaseError) -> Bool {
        error.resultCode == .SQLITE_NOTADB || error.resultCode == .SQLITE_CORRUPT
    }

    // MARK: - Test support

    /// Runs raw SQL outside the store's API (tests only: to fake a newer schema and the like).
    func executeRawSQL(_ sql: String) throws {
        try writer.write { db in try db.execute(sql: sql) }
    }

    /// The number of rows in `table` (tests only).
    func rowCount(_ table: String) throws -> Int {
        try writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0 }
    }

    /// The value of `PRAGMA name` on the writer connection (tests only).
    func pragma(_ name: String) throws -> String? {
        try writer.write { db in
            switch try DatabaseValue.fetchOne(db, sql: "PRAGMA \(name)")?.storage {
            case .int64(let value)?: return String(value)
            case .string(let value)?: return value
            case .double(let value)?: return String(value)
            case .blob, .null, nil: return nil
            }
        }
    }
}

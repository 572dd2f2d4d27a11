import Foundation

/// Every error the state store throws.
///
/// GRDB's and SQLite's own errors never cross this module's boundary: they are wrapped here with the
/// store operation (the public method name) and the table it touched, so a log line says what the
/// agent was doing, not only what SQLite said.
public enum StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// An SQLite or decoding error during `operation` (a public method name such as `"saveContainer"`)
    /// on `table` (nil when the operation is not about one table, e.g. a transaction commit).
    /// `detail` is SQLite's message, with its result code.
    case database(operation: String, table: String?, detail: String)
    /// The state file at `path` could not be opened (missing permission, a directory, ...).
    case open(path: String, detail: String)
    /// The state file at `path` is not an SQLite database or is damaged.
    /// Move it away (keep it for a post-mortem) and start with an empty state directory.
    case corrupt(path: String, detail: String)
    /// The state file at `path` was migrated by a newer inplaced: it holds schema migrations
    /// (`unknownMigrations`) that this build does not know. Downgrading is refused so that the
    /// newer schema is not misread.
    case newerSchema(path: String, unknownMigrations: [String])
    /// Another process holds the state directory's lock file at `path`.
    /// `holderPID` is the PID that the holder wrote into the lock file, when it could be read.
    case locked(path: String, holderPID: Int32?)
    /// The lock file at `path` could not be created, opened or locked (`detail` names errno).
    case lockFailed(path: String, detail: String)
    /// A record handed to `operation` cannot be stored as it is (e.g. `saveUpdate` of a record without an id).
    case invalidRecord(operation: String, detail: String)
    /// `operation` expected a row in `table` with `key` and found none.
    case notFound(operation: String, table: String, key: String)

    public var description: String {
        switch self {
        case .database(let operation, let table, let detail):
            if let table { return "state store: \(operation) on table \(table): \(detail)" }
            return "state store: \(operation): \(detail)"
        case .open(let path, let detail):
            return "state store: cannot open \(path): \(detail)"
        case .corrupt(let path, let detail):
            return "state store: \(path) is not a valid inplaced state database (\(detail)); move it away to start with empty state"
        case .newerSchema(let path, let unknown):
            return
                "state store: \(path) was written by a newer inplaced (unknown schema migrations: \(unknown.joined(separator: ", "))); refusing to downgrade"
        case .locked(let path, let pid):
            if let pid { return "state store: \(path) is locked by another inplaced process (pid \(pid))" }
            return "state store: \(path) is locked by another inplaced process (pid unknown)"
        case .lockFailed(let path, let detail):
            return "state store: cannot lock \(path): \(detail)"
        case .invalidRecord(let operation, let detail):
            return "state store: \(operation): invalid record: \(detail)"
        case .notFound(let operation, let table, let key):
            return "state store: \(operation): no row in \(table) with \(key)"
        }
    }
}

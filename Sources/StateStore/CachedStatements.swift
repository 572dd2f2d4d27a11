internal import GRDB

// Every statement the store runs again and again goes through GRDB's per-connection statement
// cache: prepared (parsed and planned by SQLite) once per connection, then only bound and
// stepped. Parsing was a quarter of the agent's CPU at 1,000 pods before.

extension Database {
    /// Executes `sql` (one statement) through the connection's statement cache.
    /// - Throws: `DatabaseError` from SQLite.
    func run(sql: String, arguments: StatementArguments = StatementArguments()) throws {
        try cachedStatement(sql: sql).execute(arguments: arguments)
    }
}

extension Row {
    /// The first row of `sql`, through the connection's statement cache.
    /// - Throws: `DatabaseError` from SQLite.
    static func fetchOne(cached db: Database, sql: String, arguments: StatementArguments = StatementArguments()) throws -> Row? {
        try fetchOne(db.cachedStatement(sql: sql), arguments: arguments)
    }

    /// Every row of `sql`, through the connection's statement cache.
    /// - Throws: `DatabaseError` from SQLite.
    static func fetchAll(cached db: Database, sql: String, arguments: StatementArguments = StatementArguments()) throws -> [Row] {
        try fetchAll(db.cachedStatement(sql: sql), arguments: arguments)
    }
}

extension DatabaseValueConvertible where Self: StatementColumnConvertible {
    /// The first column of the first row of `sql`, through the connection's statement cache.
    /// - Throws: `DatabaseError` from SQLite.
    static func fetchOne(cached db: Database, sql: String, arguments: StatementArguments = StatementArguments()) throws -> Self? {
        try fetchOne(db.cachedStatement(sql: sql), arguments: arguments)
    }
}

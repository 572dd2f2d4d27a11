import Foundation
internal import GRDB

/// Runs `body`, turning any GRDB/SQLite error into `StoreError.database(operation:table:detail:)`.
/// `StoreError`s thrown inside pass through unchanged.
@inline(__always)
func mapErrors<T>(_ operation: String, table: String?, _ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as StoreError {
        throw error
    } catch {
        throw StoreError.database(operation: operation, table: table, detail: describe(error))
    }
}

/// A one-line description of a GRDB error: SQLite's message and result code, without the SQL
/// arguments (they may hold whole pod manifests).
func describe(_ error: any Error) -> String {
    if let error = error as? DatabaseError {
        let message = error.message ?? "\(error.resultCode)"
        return "\(message) (SQLite code \(error.extendedResultCode.rawValue))"
    }
    return String(describing: error)
}

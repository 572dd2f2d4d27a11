import Foundation
internal import GRDB

// Dates are stored as REAL seconds since Foundation's reference date (2001-01-01T00:00:00Z),
// i.e. `Date.timeIntervalSinceReferenceDate`, which is exactly the Double a `Date` holds: the value
// read back is bit-for-bit the value written (no rounding, no time zone). REAL columns order and
// compare correctly in SQL. In the sqlite3 shell:
// `SELECT datetime(createdAt + 978307200, 'unixepoch') FROM pods;`

extension Date {
    /// The value stored in a date column.
    var storeValue: Double { timeIntervalSinceReferenceDate }

    init(storeValue: Double) { self.init(timeIntervalSinceReferenceDate: storeValue) }
}

extension Optional where Wrapped == Date {
    /// The value stored in a nullable date column.
    var storeValue: Double? { self.map { $0.timeIntervalSinceReferenceDate } }
}

extension Row {
    /// Decodes a NOT NULL date column.
    func date(_ column: String) throws -> Date {
        Date(storeValue: try decode(Double.self, forColumn: column))
    }

    /// Decodes a nullable date column.
    func optionalDate(_ column: String) throws -> Date? {
        try decode(Double?.self, forColumn: column).map(Date.init(storeValue:))
    }
}

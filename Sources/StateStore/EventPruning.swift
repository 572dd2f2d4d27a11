import Synchronization

/// What the store remembers between transactions about pruning events beyond
/// `StoreOptions.maxEvents`: how many rows past the cap the table held at its last count, less
/// those deleted since.
///
/// A large cap is counted every 256th insert only (counting the whole table at every event made a
/// start of 5,000 pods quadratic). The excess found is then deleted a few rows per insert instead
/// of all at once: deleting 256 events in one transaction touched about 200 pages of the
/// `events_podUID` and `events_key` indexes (the events of scattered pods), about 1 MB of WAL
/// in the commit of whichever pod happened to record the event, and that in-place upgrade took
/// twice as long as the others.
///
/// The count is kept in memory, not in the database: a transaction rolled back after counting or
/// deleting leaves it off by those rows, and the next count (at most 256 inserts later) puts it
/// right.
final class EventPruning: Sendable {
    /// Events inserted between two counts of the table when the cap is large.
    static let countEvery: Int64 = 256
    /// Rows deleted at most per inserted event while an excess remains: more than the one event
    /// added, so that an excess found at a count is gone before the next.
    static let rowsPerInsert = 4

    private let excess = Mutex(0)

    /// The excess as counted (never below 0).
    func counted(_ rows: Int) { excess.withLock { $0 = max(0, rows) } }

    /// How many rows to delete now: all of the excess, or at most `rowsPerInsert` of it when
    /// `gradual`.
    func toDelete(gradual: Bool) -> Int {
        excess.withLock { gradual ? min($0, Self.rowsPerInsert) : $0 }
    }

    /// Rows deleted.
    func deleted(_ rows: Int) { excess.withLock { $0 = max(0, $0 - rows) } }
}

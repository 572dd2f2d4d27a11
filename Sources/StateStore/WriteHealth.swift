import Foundation
import Synchronization

/// Whether the store's writes go through: the newest failure of the database itself (a
/// transaction that could not begin or commit, or a statement SQLite refused, e.g. a full disk)
/// with no successful write since. A write refused by the caller's own error does not count.
public struct StoreWriteFailure: Sendable, Hashable {
    /// When the write failed.
    public var at: Date
    /// The error, naming the operation (``StoreError/description``).
    public var error: String
    /// How many writes failed in a row since the last successful one.
    public var consecutive: Int
}

/// The store's record of ``StoreWriteFailure``: set by a failed write, cleared by a successful one.
final class WriteHealth: Sendable {
    private let state = Mutex<StoreWriteFailure?>(nil)
    /// A problem of the database file itself (removed or replaced while open), and since when.
    private let fileProblem = Mutex<(since: Date, detail: String)?>(nil)

    /// The file's problem first (it outlasts writes that go through: they go to the removed
    /// file), else the newest refused write.
    var failure: StoreWriteFailure? {
        if let problem = fileProblem.withLock({ $0 }) {
            return StoreWriteFailure(at: problem.since, error: problem.detail, consecutive: 0)
        }
        return state.withLock { $0 }
    }

    /// Records the file's problem (nil: none), keeping the time it was first seen.
    func setFileProblem(_ detail: String?) {
        fileProblem.withLock { current in
            guard let detail else {
                current = nil
                return
            }
            if current?.detail != detail { current = (Date(), detail) }
        }
    }

    func succeeded() {
        state.withLock { if $0 != nil { $0 = nil } }
    }

    /// Records `error` when it is the database's (``StoreError/database(operation:table:detail:)``);
    /// other errors are the caller's and leave the record as it is.
    func failed(_ error: any Error, note: String = "") {
        guard let storeError = error as? StoreError, case .database = storeError else { return }
        state.withLock { current in
            current = StoreWriteFailure(
                at: Date(), error: storeError.description + note, consecutive: (current?.consecutive ?? 0) + 1)
        }
    }
}

internal import GRDB
import Synchronization

/// Group commit: writes submitted while a transaction is being written wait, and the next
/// transaction carries all of them, each in a savepoint of its own.
///
/// At start-up the agent's syncs write about 8 small transactions per pod; each commit appends
/// the pages it touched to the WAL, so 5,000 pods wrote over a gigabyte of WAL, most of it the
/// same few table and index pages again. Carried together, the pages are written once per
/// transaction instead of once per write, and only the thread writing the transaction waits for
/// the store: the other callers' tasks are suspended, their threads free.
///
/// Each write keeps its own all-or-nothing: its body runs in a savepoint, and a body that throws
/// is rolled back alone while the others commit. A caller is resumed only after the transaction
/// that carries its write has committed; when the commit itself fails, every write in it fails
/// with that error and nothing of any of them is kept.
final class GroupCommit: Sendable {
    /// One submitted write: `apply` runs the body (in a savepoint when others share the
    /// transaction) and keeps its outcome; `finish` resumes the caller once the transaction ended.
    struct Item: Sendable {
        let apply: @Sendable (Database, _ shared: Bool) throws -> Void
        let finish: @Sendable ((any Error)?) -> Void
    }

    private struct State {
        var pending: [Item] = []
        var draining = false
        var counts = Counts()
    }

    /// What the group commit did so far, for tests and benchmarks.
    struct Counts: Equatable, Sendable {
        /// Transactions a caller wrote alone, at once (nothing else was being written).
        var alone = 0
        /// Transactions written for queued writes, and the writes they carried.
        var shared = 0
        var carried = 0
    }

    /// What the group commit did so far.
    var counts: Counts { state.withLock { $0.counts } }
    /// Writes queued behind the transaction being written.
    var pendingCount: Int { state.withLock { $0.pending.count } }

    private let state = Mutex(State())
    private let writer: any DatabaseWriter
    /// The most writes one transaction carries (a bound on the transaction's size and on how
    /// long the first of them waits).
    let maxPerTransaction: Int

    init(writer: any DatabaseWriter, maxPerTransaction: Int = 256) {
        self.writer = writer
        self.maxPerTransaction = max(1, maxPerTransaction)
    }

    /// Takes the writer when no transaction is being written: true means the caller writes its
    /// own transaction now, alone and without suspending (with nothing else writing, a grouped
    /// write costs what a plain `write` does), and calls `endLead()` after it.
    func tryLead() -> Bool {
        state.withLock { s in
            if s.draining { return false }
            s.draining = true
            s.counts.alone += 1
            return true
        }
    }

    /// Ends the caller's own transaction: what was queued meanwhile is written by a task of its
    /// own, a transaction at a time, until none is left.
    func endLead() {
        let more = state.withLock { s in
            if s.pending.isEmpty { s.draining = false }
            return s.draining
        }
        if more { Task { while self.writeOne() {} } }
    }

    /// Queues `item` behind the transaction being written; the next one carries it. When that
    /// transaction ended meanwhile, the caller writes the queue itself at once.
    func submit(_ item: Item) {
        let lead = state.withLock { s -> Bool in
            s.pending.append(item)
            if s.draining { return false }
            s.draining = true
            return true
        }
        guard lead else { return }
        if writeOne() { Task { while self.writeOne() {} } }
    }

    /// Writes one transaction of what is queued; true when more is queued after it (the caller
    /// goes on draining), false when the queue is empty (the drain has ended).
    private func writeOne() -> Bool {
        let batch = state.withLock { s -> [Item] in
            let n = min(s.pending.count, maxPerTransaction)
            let b = Array(s.pending.prefix(n))
            s.pending.removeFirst(n)
            if b.isEmpty { s.draining = false }
            if !b.isEmpty {
                s.counts.shared += 1
                s.counts.carried += b.count
            }
            return b
        }
        if batch.isEmpty { return false }
        let shared = batch.count > 1
        do {
            try writer.write { db in
                for item in batch { try item.apply(db, shared) }
            }
            for item in batch { item.finish(nil) }
        } catch {
            for item in batch { item.finish(error) }
        }
        return state.withLock { s in
            if s.pending.isEmpty { s.draining = false }
            return s.draining
        }
    }
}

/// The outcome of one body, set by `apply` on the writer queue and read by `finish` after the
/// transaction: one after the other, never at once.
final class GroupCommitOutcome<T: Sendable>: @unchecked Sendable {
    var result: Result<T, any Error>?
}

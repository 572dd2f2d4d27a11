import Foundation
internal import GRDB

// Events, aggregated as kubelet's event correlator does.
extension StoreTransaction {
    /// Records an event. When the pod already has an event with the same fieldPath, type, reason
    /// and message, that (newest such) event is updated instead: `count += r.count`, lastTimestamp
    /// moves to `r.lastTimestamp` (never backwards). Otherwise a new event is inserted (`r.id` is
    /// ignored). Then the pod's events beyond `StoreOptions.maxEventsPerPod`, and all events beyond
    /// `StoreOptions.maxEvents`, are pruned, oldest lastTimestamp first.
    /// - Returns: the event as stored (id, aggregated count and timestamps).
    @discardableResult
    public func appendEvent(_ r: EventRecord) throws -> EventRecord {
        try mapErrors("appendEvent", table: "events") {
            let existing = try Row.fetchOne(
                cached: db,
                sql: """
                    SELECT * FROM events
                    WHERE podUID = ? AND fieldPath IS ? AND type = ? AND reason = ? AND message = ?
                    ORDER BY lastTimestamp DESC, id DESC LIMIT 1
                    """, arguments: [r.podUID, r.fieldPath, r.type, r.reason, r.message])
            let id: Int64
            if let existing {
                id = try existing.decode(forColumn: "id")
                try db.run(
                    sql: """
                        UPDATE events SET count = count + ?, lastTimestamp = max(lastTimestamp, ?),
                            namespace = ?, podName = ?
                        WHERE id = ?
                        """, arguments: [max(1, r.count), r.lastTimestamp.storeValue, r.namespace, r.podName, id])
            } else {
                try db.run(
                    sql: """
                        INSERT INTO events (podUID, namespace, podName, fieldPath, type, reason, message,
                                            count, firstTimestamp, lastTimestamp)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        r.podUID, r.namespace, r.podName, r.fieldPath, r.type, r.reason,
                        r.message, max(1, r.count), r.firstTimestamp.storeValue,
                        r.lastTimestamp.storeValue,
                    ])
                id = db.lastInsertedRowID
                try prune(podUID: r.podUID)
            }
            guard let row = try Row.fetchOne(cached: db, sql: "SELECT * FROM events WHERE id = ?", arguments: [id]) else {
                // Pruned at once: only when a cap is 0.
                var stored = r
                stored.id = id
                return stored
            }
            return try EventRecord(row: row)
        }
    }

    /// Deletes the pod's events beyond the per-pod cap and all events beyond the global cap.
    private func prune(podUID: String) throws {
        let perPod = max(0, options.maxEventsPerPod)
        if try Int.fetchOne(cached: db, sql: "SELECT COUNT(*) FROM events WHERE podUID = ?", arguments: [podUID])! > perPod {
            try db.run(
                sql: """
                    DELETE FROM events WHERE podUID = ? AND id NOT IN (
                        SELECT id FROM events WHERE podUID = ? ORDER BY lastTimestamp DESC, id DESC LIMIT ?)
                    """, arguments: [podUID, podUID, perPod])
        }
        // A small global cap is counted at every insert and kept exactly; a large one every
        // `EventPruning.countEvery` inserts, its excess then deleted a few rows per insert (see
        // `EventPruning`): the table may hold up to about 256 rows past it.
        let total = max(0, options.maxEvents)
        let exact = total < 1024
        if exact || db.lastInsertedRowID % EventPruning.countEvery == 0 {
            let count = try Int.fetchOne(cached: db, sql: "SELECT COUNT(*) FROM events")!
            pruning.counted(count - total)
        }
        let rows = pruning.toDelete(gradual: !exact)
        guard rows > 0 else { return }
        try db.run(
            sql: """
                DELETE FROM events WHERE id IN (
                    SELECT id FROM events ORDER BY lastTimestamp ASC, id ASC LIMIT ?)
                """, arguments: [rows])
        pruning.deleted(db.changesCount)
    }
}

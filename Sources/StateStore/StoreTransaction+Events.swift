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
        // A large global cap is checked every 256th insert: counting the whole table on every
        // event made a 5,000-pod start quadratic. The table may overshoot it by at most 255 rows.
        let total = max(0, options.maxEvents)
        guard total < 1024 || db.lastInsertedRowID % 256 == 0 else { return }
        let count = try Int.fetchOne(cached: db, sql: "SELECT COUNT(*) FROM events")!
        if count > total {
            try db.run(
                sql: """
                    DELETE FROM events WHERE id IN (
                        SELECT id FROM events ORDER BY lastTimestamp ASC, id ASC LIMIT ?)
                    """, arguments: [count - total])
        }
    }
}

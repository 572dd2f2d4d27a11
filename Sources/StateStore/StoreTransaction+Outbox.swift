import Foundation
internal import GRDB

// The status outbox: at most one queued status per pod, delivered by the Reporter.
extension StoreTransaction {
    /// Queues `statusJSON` (a PodStatus as JSON) for delivery, replacing the pod's queued status if
    /// there is one. The new payload gets seq = the pod's previous seq + 1 (seqs keep increasing
    /// across deliveries, starting at 1). A replaced row keeps its delivery state (attempts,
    /// nextAttemptAt, lastError): backoff belongs to the pod's delivery, not to one payload.
    /// - Returns: the new seq.
    @discardableResult
    public func enqueueStatus(
        podUID: String, namespace: String, name: String, statusJSON: String,
        at: Date
    ) throws -> Int64 {
        try mapErrors("enqueueStatus", table: "outbox") {
            let previous =
                try Int64.fetchOne(
                    db,
                    sql: """
                        SELECT max(
                            coalesce((SELECT seq FROM outbox_sequences WHERE podUID = ?), 0),
                            coalesce((SELECT seq FROM outbox WHERE podUID = ?), 0))
                        """, arguments: [podUID, podUID]) ?? 0
            let seq = previous + 1
            try db.execute(
                sql: """
                    INSERT INTO outbox_sequences (podUID, seq) VALUES (?, ?)
                    ON CONFLICT (podUID) DO UPDATE SET seq = excluded.seq
                    """, arguments: [podUID, seq])
            try db.execute(
                sql: """
                    INSERT INTO outbox (podUID, namespace, name, seq, statusJSON, enqueuedAt, attempts)
                    VALUES (?, ?, ?, ?, ?, ?, 0)
                    ON CONFLICT (podUID) DO UPDATE SET
                        namespace = excluded.namespace, name = excluded.name, seq = excluded.seq,
                        statusJSON = excluded.statusJSON, enqueuedAt = excluded.enqueuedAt
                    """, arguments: [podUID, namespace, name, seq, statusJSON, at.storeValue])
            return seq
        }
    }

    /// Makes every queued status due now (the controller is reachable again: back-offs are over),
    /// except those of the pods in `excluded` (statuses the controller rejected, which keep their
    /// slower retry).
    /// - Returns: how many statuses were waiting and are now due.
    @discardableResult
    public func makeOutboxDue(except excluded: Set<String> = []) throws -> Int {
        try mapErrors("makeOutboxDue", table: "outbox") {
            guard !excluded.isEmpty else {
                try db.execute(sql: "UPDATE outbox SET nextAttemptAt = NULL WHERE nextAttemptAt IS NOT NULL")
                return db.changesCount
            }
            let waiting = try String.fetchAll(db, sql: "SELECT podUID FROM outbox WHERE nextAttemptAt IS NOT NULL")
            let statement = try db.makeStatement(sql: "UPDATE outbox SET nextAttemptAt = NULL WHERE podUID = ?")
            var count = 0
            for podUID in waiting where !excluded.contains(podUID) {
                try statement.execute(arguments: [podUID])
                count += 1
            }
            return count
        }
    }

    /// Removes the pod's queued status if its seq is still `seq`; a newer status queued while `seq`
    /// was being delivered stays.
    /// - Returns: whether the row was removed.
    @discardableResult
    public func markDelivered(podUID: String, seq: Int64) throws -> Bool {
        try mapErrors("markDelivered", table: "outbox") {
            try db.execute(sql: "DELETE FROM outbox WHERE podUID = ? AND seq = ?", arguments: [podUID, seq])
            guard db.changesCount > 0 else { return false }
            // The pod is gone and its last status delivered: its seq counter is no longer needed.
            try db.execute(
                sql: """
                    DELETE FROM outbox_sequences
                    WHERE podUID = ? AND NOT EXISTS (SELECT 1 FROM pods WHERE uid = ?)
                    """, arguments: [podUID, podUID])
            return true
        }
    }

    /// Records a failed delivery of `seq`: attempts + 1, `lastError`, and no new attempt before
    /// `nextAttemptAt`. Does nothing when the queued seq is no longer `seq`.
    /// - Returns: whether the row was updated.
    @discardableResult
    public func recordDeliveryFailure(podUID: String, seq: Int64, error: String, nextAttemptAt: Date) throws -> Bool {
        try mapErrors("recordDeliveryFailure", table: "outbox") {
            try db.execute(
                sql: """
                    UPDATE outbox SET attempts = attempts + 1, lastError = ?, nextAttemptAt = ?
                    WHERE podUID = ? AND seq = ?
                    """, arguments: [error, nextAttemptAt.storeValue, podUID, seq])
            return db.changesCount > 0
        }
    }
}

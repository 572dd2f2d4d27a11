import Foundation
internal import GRDB

// In-place update records.
extension StoreTransaction {
    /// The columns a step of the update changes; its identity (`podUID`, `containerName`) is set
    /// once, at insert.
    static let updateStateColumns = """
        fromImage, toImage, toHash, hashAlgorithm, oldContainerID, oldImageID,
        newContainerID, newImageID, step, graceDeadline, pullAttempts, nextAttemptAt, startedAt,
        updatedAt, finishedAt, message, historyJSON
        """
    private static let updateColumns = "podUID, containerName, " + updateStateColumns

    /// Inserts a new update (its `id` is ignored) and prunes the pod's finished updates beyond
    /// `StoreOptions.maxFinishedUpdatesPerPod`, oldest first.
    /// - Returns: the new row's id.
    /// - Throws: `StoreError.database` when its pod does not exist (foreign key).
    @discardableResult
    public func insertUpdate(_ r: InPlaceUpdateRecord) throws -> Int64 {
        try mapErrors("insertUpdate", table: "updates") {
            try db.run(
                sql: """
                    INSERT INTO updates (\(Self.updateColumns))
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: r.arguments)
            let id = db.lastInsertedRowID
            try db.run(
                sql: """
                    DELETE FROM updates
                    WHERE podUID = ? AND step IN ('Completed', 'Failed') AND id NOT IN (
                        SELECT id FROM updates WHERE podUID = ? AND step IN ('Completed', 'Failed')
                        ORDER BY id DESC LIMIT ?)
                    """, arguments: [r.podUID, r.podUID, max(0, options.maxFinishedUpdatesPerPod)])
            return id
        }
    }

    /// Overwrites every column of the update with `r.id` but its pod and container, which an
    /// update keeps from its insert. Assigning them too rewrote the `updates_podUID` index entry
    /// and checked the pod's foreign key at every step: about one page in twelve of the WAL an
    /// in-place upgrade writes.
    /// - Throws: `StoreError.invalidRecord` when `r.id` is nil, `StoreError.notFound` when no update
    ///   has that id, `StoreError.database` otherwise.
    public func saveUpdate(_ r: InPlaceUpdateRecord) throws {
        guard let id = r.id else {
            throw StoreError.invalidRecord(operation: "saveUpdate", detail: "the record has no id (insert it first)")
        }
        let assignments = Self.updateStateColumns
            .split(separator: ",")
            .map { "\($0.trimmingCharacters(in: .whitespacesAndNewlines)) = ?" }
            .joined(separator: ", ")
        var arguments = r.stateArguments
        arguments += [id]
        let changed = try mapErrors("saveUpdate", table: "updates") {
            try db.run(sql: "UPDATE updates SET \(assignments) WHERE id = ?", arguments: arguments)
            return db.changesCount
        }
        if changed == 0 {
            throw StoreError.notFound(operation: "saveUpdate", table: "updates", key: "id \(id)")
        }
    }
}

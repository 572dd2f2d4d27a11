import Foundation
internal import GRDB

// Pods and what hangs off them: sandboxes, containers, conditions.
// Saves are UPSERTs (INSERT ... ON CONFLICT DO UPDATE), never INSERT OR REPLACE: REPLACE deletes
// the old row first, which would cascade to the pod's children.
extension StoreTransaction {
    /// Inserts the pod, or updates every column of the pod with the same uid (its sandboxes,
    /// containers, conditions and updates are kept).
    /// - Throws: `StoreError.database` (e.g. a UNIQUE violation when another uid already has this
    ///   namespace/name: delete that pod first).
    public func savePod(_ r: PodRecord) throws {
        try execute(
            "savePod", table: "pods",
            sql: """
                INSERT INTO pods (uid, namespace, name, source, podJSON, createdAt, startTime,
                                  terminalPhase, terminalReason, terminalMessage, updatedAt)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (uid) DO UPDATE SET
                    namespace = excluded.namespace, name = excluded.name, source = excluded.source,
                    podJSON = excluded.podJSON, createdAt = excluded.createdAt, startTime = excluded.startTime,
                    terminalPhase = excluded.terminalPhase, terminalReason = excluded.terminalReason,
                    terminalMessage = excluded.terminalMessage, updatedAt = excluded.updatedAt
                """, r.arguments)
    }

    /// Deletes the pod with its sandboxes, containers, conditions and in-place updates.
    /// Its events stay (they are pruned by count) and so does its queued status, if any, so that a
    /// final status can still be delivered.
    /// - Returns: whether a pod was deleted.
    @discardableResult
    public func deletePod(uid: String) throws -> Bool {
        try mapErrors("deletePod", table: "pods") {
            try db.run(sql: "DELETE FROM pods WHERE uid = ?", arguments: [uid])
            let deleted = db.changesCount > 0
            try db.run(
                sql: """
                    DELETE FROM outbox_sequences
                    WHERE podUID = ? AND NOT EXISTS (SELECT 1 FROM outbox WHERE podUID = ?)
                    """, arguments: [uid, uid])
            return deleted
        }
    }

    /// Inserts the sandbox or updates the one with the same id.
    /// - Throws: `StoreError.database` when its pod does not exist (foreign key).
    public func saveSandbox(_ r: SandboxRecord) throws {
        try execute(
            "saveSandbox", table: "sandboxes",
            sql: """
                INSERT INTO sandboxes (id, podUID, attempt, state, ip, createdAt) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET
                    podUID = excluded.podUID, attempt = excluded.attempt, state = excluded.state,
                    ip = excluded.ip, createdAt = excluded.createdAt
                """, r.arguments)
    }

    /// Deletes the sandbox with this id (nothing when there is none).
    public func deleteSandbox(id: String) throws {
        try execute("deleteSandbox", table: "sandboxes", sql: "DELETE FROM sandboxes WHERE id = ?", [id])
    }

    /// Inserts the container or updates the one with the same (podUID, name).
    /// - Throws: `StoreError.database` when its pod does not exist (foreign key).
    public func saveContainer(_ r: ContainerRecord) throws {
        try execute(
            "saveContainer", table: "containers",
            sql: """
                INSERT INTO containers (podUID, name, hash, hashAlgorithm, containerID, image, imageID,
                                        restartCount, lifecycle, lastTermination, startedAt, updatedAt)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (podUID, name) DO UPDATE SET
                    hash = excluded.hash, hashAlgorithm = excluded.hashAlgorithm,
                    containerID = excluded.containerID, image = excluded.image, imageID = excluded.imageID,
                    restartCount = excluded.restartCount, lifecycle = excluded.lifecycle,
                    lastTermination = excluded.lastTermination, startedAt = excluded.startedAt,
                    updatedAt = excluded.updatedAt
                """, r.arguments)
    }

    /// Deletes the pod's container `name` (nothing when there is none).
    public func deleteContainer(podUID: String, name: String) throws {
        try execute(
            "deleteContainer", table: "containers",
            sql: "DELETE FROM containers WHERE podUID = ? AND name = ?", [podUID, name])
    }

    /// Inserts the condition or updates the pod's condition of the same type.
    /// - Throws: `StoreError.database` when its pod does not exist (foreign key).
    public func saveCondition(_ r: ConditionRecord) throws {
        try execute(
            "saveCondition", table: "conditions",
            sql: """
                INSERT INTO conditions (podUID, type, status, reason, message, lastTransitionTime)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (podUID, type) DO UPDATE SET
                    status = excluded.status, reason = excluded.reason, message = excluded.message,
                    lastTransitionTime = excluded.lastTransitionTime
                """, r.arguments)
    }

    /// Deletes the pod's condition of this type (nothing when there is none).
    public func deleteCondition(podUID: String, type: String) throws {
        try execute(
            "deleteCondition", table: "conditions",
            sql: "DELETE FROM conditions WHERE podUID = ? AND type = ?", [podUID, type])
    }
}

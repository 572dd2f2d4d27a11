internal import GRDB

/// The database schema, as GRDB migrations. A migration, once released, is never edited: a change
/// of schema is a new migration ("v2", ...) appended to `migrator`. A database that holds a
/// migration this build does not know was written by a newer inplaced and is refused
/// (`StoreError.newerSchema`).
///
/// Conventions: dates are REAL seconds since 2001-01-01T00:00:00Z (see DatabaseDate.swift); JSON is
/// TEXT; column names are the record property names.
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1", migrate: v1)
        migrator.registerMigration("v2", migrate: v2)
        return migrator
    }

    /// The names of the migrations this build knows, oldest first.
    static var knownMigrations: [String] { migrator.migrations }

    private static func v1(_ db: Database) throws {
        // Pods: the desired state. UPSERT (not REPLACE) keeps the children below: REPLACE would
        // delete the row and cascade.
        try db.execute(
            sql: """
                CREATE TABLE pods (
                    uid             TEXT PRIMARY KEY NOT NULL,
                    namespace       TEXT NOT NULL,
                    name            TEXT NOT NULL,
                    source          TEXT NOT NULL,
                    podJSON         TEXT NOT NULL,
                    createdAt       REAL NOT NULL,
                    startTime       REAL,
                    terminalPhase   TEXT,
                    terminalReason  TEXT,
                    terminalMessage TEXT,
                    updatedAt       REAL NOT NULL,
                    UNIQUE (namespace, name)
                );

                CREATE TABLE sandboxes (
                    id        TEXT PRIMARY KEY NOT NULL,
                    podUID    TEXT NOT NULL REFERENCES pods(uid) ON DELETE CASCADE,
                    attempt   INTEGER NOT NULL,
                    state     TEXT NOT NULL,
                    ip        TEXT NOT NULL,
                    createdAt REAL NOT NULL
                );
                CREATE INDEX sandboxes_podUID ON sandboxes(podUID);

                CREATE TABLE containers (
                    podUID        TEXT NOT NULL REFERENCES pods(uid) ON DELETE CASCADE,
                    name          TEXT NOT NULL,
                    hash          TEXT NOT NULL,
                    hashAlgorithm TEXT NOT NULL,
                    containerID   TEXT,
                    image         TEXT NOT NULL,
                    imageID       TEXT NOT NULL,
                    restartCount  INTEGER NOT NULL,
                    stateJSON     TEXT NOT NULL DEFAULT '{}',
                    lastStateJSON TEXT NOT NULL DEFAULT '{}',
                    startedAt     REAL,
                    updatedAt     REAL NOT NULL,
                    PRIMARY KEY (podUID, name)
                );

                CREATE TABLE conditions (
                    podUID             TEXT NOT NULL REFERENCES pods(uid) ON DELETE CASCADE,
                    type               TEXT NOT NULL,
                    status             TEXT NOT NULL,
                    reason             TEXT,
                    message            TEXT,
                    lastTransitionTime REAL NOT NULL,
                    PRIMARY KEY (podUID, type)
                );

                -- In-place updates cascade with their pod: an update of a pod the agent no longer has
                -- must never be resumed after a restart.
                CREATE TABLE updates (
                    id             INTEGER PRIMARY KEY AUTOINCREMENT,
                    podUID         TEXT NOT NULL REFERENCES pods(uid) ON DELETE CASCADE,
                    containerName  TEXT NOT NULL,
                    fromImage      TEXT NOT NULL,
                    toImage        TEXT NOT NULL,
                    toHash         TEXT NOT NULL,
                    hashAlgorithm  TEXT NOT NULL,
                    oldContainerID TEXT,
                    oldImageID     TEXT,
                    newContainerID TEXT,
                    newImageID     TEXT,
                    step           TEXT NOT NULL,
                    graceDeadline  REAL,
                    pullAttempts   INTEGER NOT NULL,
                    nextAttemptAt  REAL,
                    startedAt      REAL NOT NULL,
                    updatedAt      REAL NOT NULL,
                    finishedAt     REAL,
                    message        TEXT,
                    historyJSON    TEXT NOT NULL DEFAULT '[]'
                );
                CREATE INDEX updates_podUID ON updates(podUID, id);
                CREATE INDEX updates_unfinished ON updates(id) WHERE step NOT IN ('Completed', 'Failed');

                -- Events are not tied to pods by a foreign key: they outlive the pod (as apiserver
                -- events do) and may be recorded for a pod that was never stored (rejected manifest).
                CREATE TABLE events (
                    id             INTEGER PRIMARY KEY AUTOINCREMENT,
                    podUID         TEXT NOT NULL,
                    namespace      TEXT NOT NULL,
                    podName        TEXT NOT NULL,
                    fieldPath      TEXT,
                    type           TEXT NOT NULL,
                    reason         TEXT NOT NULL,
                    message        TEXT NOT NULL,
                    count          INTEGER NOT NULL,
                    firstTimestamp REAL NOT NULL,
                    lastTimestamp  REAL NOT NULL
                );
                CREATE INDEX events_podUID ON events(podUID, lastTimestamp);
                CREATE INDEX events_lastTimestamp ON events(lastTimestamp);
                CREATE INDEX events_key ON events(podUID, reason, type);

                -- The status outbox: one row per pod, no foreign key (a final status is delivered
                -- after the pod is deleted).
                CREATE TABLE outbox (
                    podUID        TEXT PRIMARY KEY NOT NULL,
                    namespace     TEXT NOT NULL,
                    name          TEXT NOT NULL,
                    seq           INTEGER NOT NULL,
                    statusJSON    TEXT NOT NULL,
                    enqueuedAt    REAL NOT NULL,
                    attempts      INTEGER NOT NULL DEFAULT 0,
                    nextAttemptAt REAL,
                    lastError     TEXT
                );
                CREATE INDEX outbox_due ON outbox(nextAttemptAt);

                -- The last seq handed out per pod, so that seq keeps increasing after a delivered row
                -- is deleted. Removed once the pod is deleted and its outbox row delivered.
                CREATE TABLE outbox_sequences (
                    podUID TEXT PRIMARY KEY NOT NULL,
                    seq    INTEGER NOT NULL
                );
                """)
    }

    /// v2: a container's state becomes one typed value. The Kubernetes ContainerState JSON of
    /// `stateJSON` / `lastStateJSON` is read once (``LegacyContainerState``) into `lifecycle` (a
    /// ``ContainerLifecycle``) and `lastTermination` (a ``ContainerTermination`` or NULL), and the
    /// old columns are dropped.
    private static func v2(_ db: Database) throws {
        try db.execute(
            sql: """
                ALTER TABLE containers ADD COLUMN lifecycle TEXT NOT NULL DEFAULT '{"unknown":{}}';
                ALTER TABLE containers ADD COLUMN lastTermination TEXT;
                """)
        let rows = try Row.fetchAll(db, sql: "SELECT podUID, name, containerID, stateJSON, lastStateJSON FROM containers")
        for row in rows {
            let containerID: String? = row["containerID"]
            let lifecycle = LegacyContainerState.lifecycle(stateJSON: row["stateJSON"] ?? "{}", containerID: containerID)
            let last = LegacyContainerState.lastTermination(lastStateJSON: row["lastStateJSON"] ?? "{}")
            try db.execute(
                sql: "UPDATE containers SET lifecycle = ?, lastTermination = ? WHERE podUID = ? AND name = ?",
                arguments: [lifecycle.storeJSON, last?.storeJSON, row["podUID"] as String, row["name"] as String])
        }
        try db.execute(
            sql: """
                ALTER TABLE containers DROP COLUMN stateJSON;
                ALTER TABLE containers DROP COLUMN lastStateJSON;
                """)
    }
}

/// The storage seam of inplace-controller: a revisioned key-value store with compare-and-swap and
/// watch, the subset of etcd's v3 model the API server needs. Two backends implement it: SQLite
/// (`SQLiteKeyValueStore`, the embedded default) and etcd (`EtcdKeyValueStore`).
///
/// Revisions are etcd's: one store-wide counter, raised by one for every write; a key's
/// `modRevision` is the revision of its last write and becomes the object's `resourceVersion`.
public protocol KeyValueStore: Sendable {
    /// The value at `key` and the store's current revision.
    /// - Throws: `StoreError.unavailable` when the backend cannot answer.
    func get(_ key: String) async throws(StoreError) -> (value: StoredValue?, revision: Int64)

    /// Every value whose key starts with `prefix`, in key order, and the revision they were read at.
    /// - Throws: `StoreError.unavailable`.
    func list(prefix: String) async throws(StoreError) -> (values: [StoredValue], revision: Int64)

    /// Writes `value` at `key` only if no value is there. A store whose client sends a write
    /// again when its answer was lost (etcd's) finds a key already holding exactly `value` as
    /// that earlier attempt applied, and returns it; API objects carry a fresh uid, so two
    /// different creates never write the same bytes.
    /// - Returns: the written value (its `modRevision` is the new revision).
    /// - Throws: `StoreError.alreadyExists`, `StoreError.unavailable`.
    func create(_ key: String, value: [UInt8]) async throws(StoreError) -> StoredValue

    /// Replaces the value at `key` only if its `modRevision` is `expectedRevision`.
    /// - Throws: `StoreError.notFound` when the key is absent, `StoreError.conflict` (with the
    ///   current value) when it was written since, `StoreError.unavailable`.
    func update(_ key: String, value: [UInt8], expectedRevision: Int64) async throws(StoreError) -> StoredValue

    /// Removes `key`, only if its `modRevision` is `expectedRevision` when one is given.
    /// - Returns: the removed value, with `modRevision` set to the revision of the delete.
    /// - Throws: `StoreError.notFound`, `StoreError.conflict`, `StoreError.unavailable`.
    func delete(_ key: String, expectedRevision: Int64?) async throws(StoreError) -> StoredValue

    /// The events on keys under `prefix` after revision `after` (exclusive), in revision order,
    /// then every later one as it happens, until the task is cancelled.
    /// - Throws (from the stream): `StoreError.compacted` when events after `after` are no longer
    ///   kept (the caller relists), `StoreError.unavailable` when the backend is lost.
    func watch(prefix: String, after: Int64) -> AsyncThrowingStream<StoreEvent, any Error>

    /// The store's current revision.
    func currentRevision() async throws(StoreError) -> Int64
}

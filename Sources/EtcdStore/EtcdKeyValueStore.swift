import APIStore
import EtcdProto
import Foundation
import GRPCCore
import Logging

/// ``KeyValueStore`` on an etcd v3 cluster (etcd 3.4's gRPC API, plain HTTP/2), through an
/// ``EtcdClient`` that moves to another member when one is unreachable.
///
/// Mapping: `get`/`list` are `KV.Range` (a list is the range `[prefix, prefix+1)` in key order);
/// `create`, `update` and `delete` are one `KV.Txn` each (compare `create_revision == 0`, resp.
/// `mod_revision == expected`, then put or delete, else range for the current value); `watch`
/// is a `Watch.Watch` stream with `prev_kv`; revisions are etcd's (header and mod revisions).
/// Every call has the client's deadline (``EtcdClient/callTimeoutSeconds``, default 5 s) per
/// member tried.
public final class EtcdKeyValueStore: KeyValueStore {
    public let client: EtcdClient

    /// A store over `client`; keep the client's `run()` running while the store is used.
    public init(client: EtcdClient) {
        self.client = client
    }

    public func get(_ key: String) async throws(StoreError) -> (value: StoredValue?, revision: Int64) {
        let request = EtcdRequests.range(key)
        let response = try await client.call("etcd KV.Range key=\(key)") { connection, options in
            try await connection.kv.range(request, options: options)
        }
        return (response.kvs.first.map { EtcdKeys.storedValue($0) }, response.header.revision)
    }

    public func list(prefix: String) async throws(StoreError) -> (values: [StoredValue], revision: Int64) {
        let request = EtcdRequests.rangePrefix(prefix)
        let response = try await client.call("etcd KV.Range prefix=\(prefix)") { connection, options in
            try await connection.kv.range(request, options: options)
        }
        return (response.kvs.map { EtcdKeys.storedValue($0) }, response.header.revision)
    }

    public func create(_ key: String, value: [UInt8]) async throws(StoreError) -> StoredValue {
        let request = EtcdRequests.txn(
            [EtcdRequests.absent(key)], success: [EtcdRequests.put(key, value: value)], failure: [EtcdRequests.rangeOp(key)])
        let response = try await txn(request, call: "etcd KV.Txn create key=\(key)")
        guard response.succeeded else {
            // etcd answers a loaded member's "etcdserver: request timed out" with `unavailable`
            // although the proposal may commit; the call is then sent to the next member, which
            // finds the key. When it holds exactly these bytes (every object carries a fresh
            // uid) the first attempt was applied: the create succeeded.
            if let current = response.responses.first?.responseRange.kvs.first, current.value == Data(value) {
                return EtcdKeys.storedValue(current)
            }
            throw .alreadyExists(key: key)
        }
        let revision = response.header.revision
        return StoredValue(key: key, value: value, createRevision: revision, modRevision: revision)
    }

    public func update(_ key: String, value: [UInt8], expectedRevision: Int64) async throws(StoreError) -> StoredValue {
        let request = EtcdRequests.txn(
            [EtcdRequests.present(key), EtcdRequests.modRevision(key, equals: expectedRevision)],
            success: [EtcdRequests.put(key, value: value, prevKV: true)],
            failure: [EtcdRequests.rangeOp(key)])
        let response = try await txn(request, call: "etcd KV.Txn update key=\(key)")
        guard response.succeeded else {
            // As in create: a first attempt applied late left exactly these bytes.
            if let current = response.responses.first?.responseRange.kvs.first, current.value == Data(value),
                current.modRevision > expectedRevision
            {
                return EtcdKeys.storedValue(current)
            }
            throw failure(of: response, key: key)
        }
        let revision = response.header.revision
        let createRevision = response.responses.first?.responsePut.prevKv.createRevision ?? revision
        return StoredValue(key: key, value: value, createRevision: createRevision, modRevision: revision)
    }

    public func delete(_ key: String, expectedRevision: Int64?) async throws(StoreError) -> StoredValue {
        var compare = [EtcdRequests.present(key)]
        if let expectedRevision { compare.append(EtcdRequests.modRevision(key, equals: expectedRevision)) }
        let request = EtcdRequests.txn(compare, success: [EtcdRequests.deleteOp(key)], failure: [EtcdRequests.rangeOp(key)])
        let response = try await txn(request, call: "etcd KV.Txn delete key=\(key)")
        guard response.succeeded else { throw failure(of: response, key: key) }
        guard let previous = response.responses.first?.responseDeleteRange.prevKvs.first else { throw .notFound(key: key) }
        var removed = EtcdKeys.storedValue(previous)
        removed.modRevision = response.header.revision
        return removed
    }

    public func watch(prefix: String, after: Int64) -> AsyncThrowingStream<StoreEvent, any Error> {
        EtcdWatch(client: client, prefix: prefix, after: after).events()
    }

    public func currentRevision() async throws(StoreError) -> Int64 {
        var request = EtcdRequests.range("/")
        request.countOnly = true
        let response = try await client.call("etcd KV.Range (current revision)") { connection, options in
            try await connection.kv.range(request, options: options)
        }
        return response.header.revision
    }

    /// Compacts the store's history up to `revision` (etcd's `KV.Compact`, physical: the call
    /// returns once the old revisions are gone); a watch from before it then throws `.compacted`.
    /// - Throws: `StoreError.unavailable`, also when `revision` is already compacted or is in
    ///   the future (etcd's `OutOfRange`).
    public func compact(revision: Int64) async throws(StoreError) {
        var request = Etcdserverpb_CompactionRequest()
        request.revision = revision
        request.physical = true
        _ = try await client.call("etcd KV.Compact revision=\(revision)") { connection, options in
            try await connection.kv.compact(request, options: options)
        }
    }

    private func txn(_ request: Etcdserverpb_TxnRequest, call: String) async throws(StoreError) -> Etcdserverpb_TxnResponse {
        try await client.call(call, idempotent: false) { connection, options in
            try await connection.kv.txn(request, options: options)
        }
    }

    /// A failed compare-and-swap: the key is absent (`notFound`) or at another revision (`conflict`).
    private func failure(of response: Etcdserverpb_TxnResponse, key: String) -> StoreError {
        guard let current = response.responses.first?.responseRange.kvs.first else { return .notFound(key: key) }
        return .conflict(key: key, current: EtcdKeys.storedValue(current))
    }
}

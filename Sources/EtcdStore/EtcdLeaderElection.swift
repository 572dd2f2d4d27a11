import APIStore
import EtcdProto
import Foundation
import GRPCCore
import Logging

/// ``LeaderElection`` on etcd, the way etcd's concurrency/election package does it: each
/// candidate grants a lease (``ttlSeconds``) and keeps it alive every TTL/3 seconds; the leader
/// is the candidate whose `KV.Txn` "create ``key`` if absent" (value = its identity, attached to
/// its lease) succeeded. The others watch the key and try again when it is deleted (resigned,
/// revoked, or expired with its lease).
///
/// A leader stops leading (its `work` is cancelled and ``runAsLeader(identity:_:)`` returns
/// `false`) when its key is deleted or rewritten, or when its lease was not renewed for a TTL.
/// When `work` returns, the leader resigns: it deletes its key and revokes its lease.
public final class EtcdLeaderElection: LeaderElection {
    public let client: EtcdClient
    /// The election key (default `/inplace/leader`).
    public let key: String
    /// The lease's time to live, in seconds (default 10).
    public let ttlSeconds: Int64

    /// - Parameters:
    ///   - client: keep its `run()` running while the election is used.
    ///   - key: the election key.
    ///   - ttlSeconds: the lease TTL in seconds (at least 1; etcd may raise it to its minimum).
    public init(client: EtcdClient, key: String = "/inplace/leader", ttlSeconds: Int64 = 10) {
        self.client = client
        self.key = key
        self.ttlSeconds = max(1, ttlSeconds)
    }

    /// How a campaign or a term ended.
    enum Outcome: Sendable {
        case resigned
        case lost
        /// The lease expired before leadership was won: campaign again with a new one.
        case leaseLostWhileWaiting
    }

    /// - Throws: `CancellationError` when the calling task is cancelled while waiting;
    ///   `StoreError.unavailable` when no member grants a lease.
    public func runAsLeader(identity: String, _ work: @escaping @Sendable () async -> Void) async throws -> Bool {
        while true {
            try Task.checkCancellation()
            let lease = try await EtcdLease.grant(client: client, ttlSeconds: ttlSeconds)
            let outcome: Outcome
            do {
                outcome = try await withThrowingTaskGroup(of: Void.self, returning: Outcome.self) { group in
                    group.addTask { await lease.keepAlive() }
                    do {
                        let outcome = try await campaignAndLead(identity: identity, lease: lease, work)
                        group.cancelAll()
                        return outcome
                    } catch {
                        group.cancelAll()
                        throw error
                    }
                }
            } catch {
                await lease.revoke()
                throw error
            }
            // Revoking the lease deletes the key if it is still ours (resign deleted it already).
            await lease.revoke()
            switch outcome {
            case .resigned: return true
            case .lost: return false
            case .leaseLostWhileWaiting:
                client.logger.info("etcd election: lease expired while waiting; campaigning again", metadata: ["key": "\(key)"])
            }
        }
    }

    public func currentLeader() async throws(StoreError) -> String? {
        let request = EtcdRequests.range(key)
        let response = try await client.call("etcd KV.Range key=\(key)") { connection, options in
            try await connection.kv.range(request, options: options)
        }
        return response.kvs.first.map { String(decoding: $0.value, as: UTF8.self) }
    }

    /// Waits to win (the key's create succeeds), then leads until `work` returns or leadership is lost.
    private func campaignAndLead(
        identity: String, lease: EtcdLease, _ work: @escaping @Sendable () async -> Void
    ) async throws -> Outcome {
        while true {
            try Task.checkCancellation()
            guard lease.isAlive else { return .leaseLostWhileWaiting }
            let request = EtcdRequests.txn(
                [EtcdRequests.absent(key)],
                success: [EtcdRequests.put(key, value: Array(identity.utf8), lease: lease.id)],
                failure: [EtcdRequests.rangeOp(key)])
            let response: Etcdserverpb_TxnResponse
            do {
                response = try await client.call("etcd KV.Txn campaign key=\(key)") { connection, options in
                    try await connection.kv.txn(request, options: options)
                }
            } catch {
                client.logger.warning("etcd election: campaign failed", metadata: ["key": "\(key)", "error": "\(error)"])
                try await Task.sleep(for: .seconds(1))
                continue
            }
            if response.succeeded {
                return await lead(revision: response.header.revision, identity: identity, lease: lease, work)
            }
            guard let holder = response.responses.first?.responseRange.kvs.first else { continue }
            if holder.lease == lease.id {
                return await lead(revision: holder.modRevision, identity: identity, lease: lease, work)
            }
            if try await waitForDelete(after: holder.modRevision, lease: lease) == false { return .leaseLostWhileWaiting }
        }
    }

    /// Waits until the key is deleted after `revision` (true), or this candidate's lease is lost (false).
    private func waitForDelete(after revision: Int64, lease: EtcdLease) async throws -> Bool {
        let watch = EtcdWatch(client: client, prefix: key, after: revision, wholePrefix: false)
        return try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                do {
                    for try await event in watch.events() where event.kind == .delete { return true }
                } catch {
                    // Compacted or no member: look at the key again.
                    try await Task.sleep(for: .milliseconds(500))
                    return true
                }
                try Task.checkCancellation()
                return true
            }
            group.addTask {
                while lease.isAlive { try await Task.sleep(for: .milliseconds(250)) }
                return false
            }
            let deleted = try await group.next() ?? true
            group.cancelAll()
            return deleted
        }
    }

    /// What ended a term first.
    private enum TermEnd: Sendable {
        case workReturned
        case keyLost
        case leaseLost
    }

    /// Runs `work` while the key (written at `revision`) stays ours and the lease alive.
    private func lead(
        revision: Int64, identity: String, lease: EtcdLease, _ work: @escaping @Sendable () async -> Void
    ) async -> Outcome {
        client.logger.info("etcd election: leading", metadata: ["key": "\(key)", "identity": "\(identity)", "revision": "\(revision)"])
        let end = await withTaskGroup(of: TermEnd.self) { group in
            group.addTask {
                await work()
                return .workReturned
            }
            group.addTask { await self.watchKeyLost(revision: revision) }
            group.addTask {
                while lease.isAlive {
                    do { try await Task.sleep(for: .milliseconds(250)) } catch { return .workReturned }
                }
                return .leaseLost
            }
            let end = await group.next() ?? .workReturned
            group.cancelAll()
            return end
        }
        switch end {
        case .workReturned:
            await resign(revision: revision)
            return .resigned
        case .keyLost, .leaseLost:
            client.logger.warning(
                "etcd election: leadership lost", metadata: ["key": "\(key)", "identity": "\(identity)", "cause": "\(end)"])
            return .lost
        }
    }

    /// Returns `.keyLost` once the key is deleted or written again after `revision`; on
    /// cancellation, `.workReturned` (the value is then not used).
    private func watchKeyLost(revision: Int64) async -> TermEnd {
        while !Task.isCancelled {
            let watch = EtcdWatch(client: client, prefix: key, after: revision, wholePrefix: false)
            do {
                for try await _ in watch.events() { return .keyLost }
                if Task.isCancelled { break }
            } catch {
                if Task.isCancelled { break }
                // Compacted or no member: look at the key itself.
                if let current = try? await currentModRevision(), current != revision { return .keyLost }
                try? await Task.sleep(for: .milliseconds(500))
            }
        }
        return .workReturned
    }

    private func currentModRevision() async throws(StoreError) -> Int64 {
        let request = EtcdRequests.range(key)
        let response = try await client.call("etcd KV.Range key=\(key)") { connection, options in
            try await connection.kv.range(request, options: options)
        }
        return response.kvs.first?.modRevision ?? 0
    }

    /// Deletes the key if it is still the one written at `revision`; errors are logged (the
    /// lease's revoke removes it anyway).
    private func resign(revision: Int64) async {
        let request = EtcdRequests.txn(
            [EtcdRequests.modRevision(key, equals: revision)], success: [EtcdRequests.deleteOp(key)], failure: [])
        // In a task of its own: also when the caller was cancelled.
        await Task { [client, key] in
            do {
                _ = try await client.call("etcd KV.Txn resign key=\(key)") { connection, options in
                    try await connection.kv.txn(request, options: options)
                }
            } catch {
                client.logger.warning("etcd election: resign failed", metadata: ["key": "\(key)", "error": "\(error)"])
            }
        }.value
    }
}

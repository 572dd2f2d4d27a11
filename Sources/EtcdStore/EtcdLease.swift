import APIStore
import EtcdProto
import GRPCCore
import Synchronization

/// An etcd lease granted for an election, kept alive by ``keepAlive()`` (a `Lease.LeaseKeepAlive`
/// stream refreshing it every TTL/3 seconds, moved to the next member when one is unreachable).
final class EtcdLease: Sendable {
    let client: EtcdClient
    /// etcd's lease ID.
    let id: Int64
    /// The lease's time to live, in seconds, as etcd granted it.
    let ttlSeconds: Int64
    private let state: Mutex<(lastRenewal: ContinuousClock.Instant, expired: Bool)>

    private init(client: EtcdClient, id: Int64, ttlSeconds: Int64, grantedAt: ContinuousClock.Instant) {
        self.client = client
        self.id = id
        self.ttlSeconds = ttlSeconds
        self.state = Mutex((grantedAt, false))
    }

    /// Grants a lease of `ttlSeconds` seconds.
    /// - Throws: `StoreError.unavailable` when no member grants it.
    static func grant(client: EtcdClient, ttlSeconds: Int64) async throws(StoreError) -> EtcdLease {
        var request = Etcdserverpb_LeaseGrantRequest()
        request.ttl = ttlSeconds
        let grantedAt = ContinuousClock.now
        let response = try await client.call("etcd Lease.LeaseGrant ttl=\(ttlSeconds)s") { connection, options in
            try await connection.lease.leaseGrant(request, options: options)
        }
        guard response.error.isEmpty, response.id != 0 else {
            throw .unavailable(call: "etcd Lease.LeaseGrant ttl=\(ttlSeconds)s", reason: response.error)
        }
        return EtcdLease(client: client, id: response.id, ttlSeconds: response.ttl, grantedAt: grantedAt)
    }

    /// True while etcd has not said the lease expired and the last renewal (or the grant) is less
    /// than the TTL ago: a holder can still count on its keys.
    var isAlive: Bool {
        state.withLock { state in
            !state.expired && ContinuousClock.now - state.lastRenewal < .seconds(ttlSeconds)
        }
    }

    /// Renews the lease every TTL/3 seconds (at least every second) until the task is cancelled
    /// or etcd answers that the lease is gone (TTL 0: expired or revoked).
    func keepAlive() async {
        let interval = Duration.milliseconds(max(1000, ttlSeconds * 1000 / 3))
        var index = client.preferredIndex
        var keepAliveRequest = Etcdserverpb_LeaseKeepAliveRequest()
        keepAliveRequest.id = id
        let request = keepAliveRequest
        while !Task.isCancelled {
            let connection = client.connections[index]
            do {
                try await connection.lease.leaseKeepAlive(
                    options: client.streamOptions,
                    requestProducer: { writer in
                        while !Task.isCancelled {
                            try await writer.write(request)
                            try await Task.sleep(for: interval)
                        }
                    },
                    onResponse: { response in
                        for try await message in response.messages {
                            let now = ContinuousClock.now
                            let gone = self.state.withLock { state in
                                if message.ttl <= 0 {
                                    state.expired = true
                                } else {
                                    state.lastRenewal = now
                                }
                                return state.expired
                            }
                            if gone { return }
                        }
                    })
                if state.withLock({ $0.expired }) { return }
            } catch {
                if Task.isCancelled { return }
                client.logger.info(
                    "etcd lease keep-alive moves to another member",
                    metadata: ["lease": "\(id)", "endpoint": "\(connection.endpoint)", "error": "\(EtcdClient.reason(error))"])
                index = (index + 1) % client.connections.count
                try? await Task.sleep(for: .milliseconds(200))
            }
        }
    }

    /// Revokes the lease (its keys are deleted), also when the calling task is cancelled; errors
    /// are ignored (the lease then expires within its TTL).
    func revoke() async {
        var revokeRequest = Etcdserverpb_LeaseRevokeRequest()
        revokeRequest.id = id
        let request = revokeRequest
        state.withLock { $0.expired = true }
        // In a task of its own: also when the caller was cancelled.
        await Task { [client, id] in
            _ = try? await client.call("etcd Lease.LeaseRevoke id=\(id)") { connection, options in
                try await connection.lease.leaseRevoke(request, options: options)
            }
        }.value
    }
}

import EtcdProto
import GRPCCore
import GRPCNIOTransportHTTP2

/// One gRPC client (one HTTP/2 connection to one etcd member, reconnecting with back-off) and
/// the KV, Watch and Lease stubs over it.
public struct EtcdConnection: Sendable {
    public let endpoint: EtcdEndpoint
    let client: GRPCClient<HTTP2ClientTransport.Posix>
    public let kv: Etcdserverpb_KV.Client<HTTP2ClientTransport.Posix>
    public let watch: Etcdserverpb_Watch.Client<HTTP2ClientTransport.Posix>
    public let lease: Etcdserverpb_Lease.Client<HTTP2ClientTransport.Posix>

    /// - Throws: gRPC's error when the transport cannot be made.
    init(endpoint: EtcdEndpoint) throws {
        let config = HTTP2ClientTransport.Posix.Config.defaults { config in
            // A stopped member is retried soon after it comes back.
            config.backoff = .init(initial: .milliseconds(200), max: .seconds(2), multiplier: 1.6, jitter: 0.2)
            config.connection.maxIdleTime = nil
            // Finds a member that vanished under a long watch or keep-alive stream (etcd refuses
            // pings closer than 5 s, and pings without a stream).
            config.connection.keepalive = .init(time: .seconds(10), timeout: .seconds(5), allowWithoutCalls: false)
        }
        let transport = try HTTP2ClientTransport.Posix(
            target: .dns(host: endpoint.host, port: endpoint.port),
            transportSecurity: .plaintext,
            config: config)
        self.endpoint = endpoint
        self.client = GRPCClient(transport: transport)
        self.kv = Etcdserverpb_KV.Client(wrapping: client)
        self.watch = Etcdserverpb_Watch.Client(wrapping: client)
        self.lease = Etcdserverpb_Lease.Client(wrapping: client)
    }
}

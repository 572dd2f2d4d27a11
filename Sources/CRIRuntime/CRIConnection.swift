import CRIProto
import GRPCCore
import GRPCNIOTransportHTTP2
import Logging
import Synchronization

/// One gRPC client (one HTTP/2 connection to the runtime's socket, reconnecting with back-off)
/// and the CRI service stubs over it.
struct CRIConnection: Sendable {
    /// The lane number in ``ConnectionRotation``.
    let lane: Int
    let client: GRPCClient<HTTP2ClientTransport.Posix>
    let runtime: Runtime_V1_RuntimeService.Client<HTTP2ClientTransport.Posix>
    let image: Runtime_V1_ImageService.Client<HTTP2ClientTransport.Posix>

    init(lane: Int, endpoint: CRIEndpoint) throws {
        let config = HTTP2ClientTransport.Posix.Config.defaults { config in
            config.backoff = .init(initial: .milliseconds(500), max: .seconds(5), multiplier: 1.6, jitter: 0.2)
        }
        let transport = try HTTP2ClientTransport.Posix(
            // Go's gRPC uses "localhost" as the authority for unix targets; containerd expects nothing else.
            target: .unixDomainSocket(path: endpoint.socketPath, authority: "localhost"),
            transportSecurity: .plaintext,
            config: config)
        self.lane = lane
        self.client = GRPCClient(transport: transport)
        self.runtime = Runtime_V1_RuntimeService.Client(wrapping: client)
        self.image = Runtime_V1_ImageService.Client(wrapping: client)
    }
}

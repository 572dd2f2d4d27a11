import NIOCore
import NIOPosix

/// A `tcpSocket` probe: a success when a TCP connection to `host:port` opens within
/// `timeoutSeconds` (then closed at once); otherwise a failure with the dial error.
public struct TCPProber: Sendable {
    let group: any EventLoopGroup

    public init(group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) { self.group = group }

    public func probe(host: String, port: Int, timeoutSeconds: Int64) async -> ProbeOutcome {
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(.seconds(max(1, timeoutSeconds)))
            .channelInitializer { $0.eventLoop.makeSucceededVoidFuture() }
        do {
            let channel = try await bootstrap.connect(host: host, port: port).get()
            try? await channel.close().get()
            return .success(output: "")
        } catch {
            return .failure(output: NetworkErrorText.dial(error, host: host, port: port))
        }
    }
}

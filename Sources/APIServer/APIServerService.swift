import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOSSL
import ServiceLifecycle

/// The API server as a `Service`: HTTP/1.1 (HTTPS with a certificate and key) on `host:port`,
/// every request to ``APIHandler``.
public struct APIServerService: Service {
    public let handler: APIHandler
    public let host: String
    public let port: Int
    /// PEM files of the serving certificate (chain) and its key; nil: plain HTTP.
    public let tls: (certificate: String, key: String)?
    public let logger: Logger
    let onRunning: @Sendable (Int) async -> Void

    /// - Parameter onRunning: called with the bound port once the server accepts connections.
    public init(
        handler: APIHandler, host: String, port: Int, tls: (certificate: String, key: String)?, logger: Logger,
        onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) {
        self.handler = handler
        self.host = host
        self.port = port
        self.tls = tls
        self.logger = logger
        self.onRunning = onRunning
    }

    /// Serves until graceful shutdown, which first ends every open watch (the HTTP server waits
    /// for open responses, and a watch may last 30 minutes) and the registry's watch caches.
    /// - Throws: NIOSSL's errors when the certificate or key cannot be loaded (naming neither file:
    ///   the executable checks both files first), NIO's when the bind fails.
    public func run() async throws {
        let onRunning = self.onRunning
        let server: HTTPServerBuilder
        if let tls {
            let chain = try NIOSSLCertificate.fromPEMFile(tls.certificate).map { NIOSSLCertificateSource.certificate($0) }
            let key = try NIOSSLPrivateKey(file: tls.key, format: .pem)
            let configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key))
            server = try .tls(.http1(), tlsConfiguration: configuration)
        } else {
            server = .http1()
        }
        let app = Application(
            router: APIRoutes.router(handler: handler), server: server,
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) },
            logger: logger)
        let watches = handler.openWatches
        let registry = handler.registry
        try await withGracefulShutdownHandler {
            try await app.runService()
        } onGracefulShutdown: {
            watches.closeAll()
            Task { await registry.stopWatchCaches() }
        }
        // The caches' store watches end with the server (an open etcd watch would hold the
        // client's connections open).
        await registry.stopWatchCaches()
    }
}

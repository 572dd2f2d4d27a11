import AsyncHTTPClient
import Foundation
import KubeClient
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL

/// One HTTP client for the controller endpoint: TLS from the CA file for https (HTTP/2 when the
/// server offers it through ALPN, else HTTP/1.1), the request deadline, no redirects, no connection-establishment retries (the reporters back off themselves),
/// and the bearer token from the token file.
///
/// Owned by one service's `run()`: create it there and `shutdown()` it before returning.
final class ControllerClient: Sendable {
    static let maxBodyPrefix = 4096

    let endpoint: ControllerEndpoint
    private let http: HTTPClient
    private let token: TokenFile?
    private let ca: CAFile?
    private let logger: Logger

    /// - Parameters:
    ///   - connections: the most connections kept to the controller at once.
    ///   - streaming: no read deadline (for watches, which may be quiet for minutes).
    init(endpoint: ControllerEndpoint, connections: Int, logger: Logger, streaming: Bool = false) {
        self.endpoint = endpoint
        self.logger = logger
        token = endpoint.tokenFile.map { TokenFile(path: $0) }
        ca = endpoint.isHTTPS ? endpoint.caFile.map { CAFile(path: $0) } : nil
        let timeout = TimeAmount.milliseconds(Int64((endpoint.requestTimeout * 1000).rounded(.up)))
        var pool = HTTPClient.Configuration.ConnectionPool(
            idleTimeout: .seconds(60),
            concurrentHTTP1ConnectionsPerHostSoftLimit: max(1, connections))
        pool.retryConnectionEstablishment = false
        let configuration = HTTPClient.Configuration(
            tlsConfiguration: endpoint.isHTTPS ? Self.tlsConfiguration(caFile: endpoint.caFile) : nil,
            redirectConfiguration: .disallow,
            timeout: .init(connect: timeout, read: streaming ? nil : timeout),
            connectionPool: pool)
        http = HTTPClient(
            eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration,
            backgroundActivityLogger: logger)
    }

    /// The client TLS configuration: the server must chain to the certificates in `caFile` (the
    /// system's trust roots without one). A connection being closed waits at most 1 s for the
    /// server's close_notify (NIOSSL's default is 5 s, which a hung controller would add to every
    /// shutdown).
    static func tlsConfiguration(caFile: String?) -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let caFile { tls.trustRoots = .file(caFile) }
        tls.shutdownTimeout = .seconds(1)
        return tls
    }

    /// Checks the CA file (https) and reads the token file; call before each batch of requests.
    /// - Returns: the bearer token (nil without a token file) and its generation (grows when the
    ///   token changes; 0 without a token file).
    /// - Throws: `ReporterError.caFile` or `ReporterError.tokenFile`, naming the file.
    func credentials(now: Date = Date()) throws(ReporterError) -> (bearer: String?, generation: Int) {
        try ca?.check()
        guard let token else { return (nil, 0) }
        let read = try token.read(now: now)
        return (read.token, read.generation)
    }

    /// Sends one request and reads the response (keeping the first 4 KiB of the body).
    /// - Parameters:
    ///   - path: starts with `/`; appended to the endpoint's URL.
    /// - Throws: AsyncHTTPClient / NIO errors (classify them with `DeliveryError.classify`);
    ///   `CancellationError` when the task is cancelled.
    func send(
        method: HTTPMethod, path: String, contentType: String, body: ByteBuffer,
        bearer: String?
    ) async throws -> ControllerResponse {
        var request = HTTPClientRequest(url: endpoint.url + path)
        request.method = method
        request.headers.add(name: "Content-Type", value: contentType)
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: endpoint.userAgent)
        if let bearer { request.headers.add(name: "Authorization", value: "Bearer \(bearer)") }
        request.body = .bytes(body)
        let timeout = TimeAmount.milliseconds(Int64((endpoint.requestTimeout * 1000).rounded(.up)))
        let response = try await http.execute(request, timeout: timeout, logger: logger)
        var prefix = ByteBuffer()
        for try await var chunk in response.body where prefix.readableBytes < Self.maxBodyPrefix {
            if let slice = chunk.readSlice(length: min(chunk.readableBytes, Self.maxBodyPrefix - prefix.readableBytes)) {
                var slice = slice
                prefix.writeBuffer(&slice)
            }
        }
        return ControllerResponse(
            status: Int(response.status.code), reason: response.status.reasonPhrase,
            retryAfter: response.headers.first(name: "Retry-After"),
            bodyPrefix: String(decoding: prefix.readableBytesView, as: UTF8.self))
    }

    /// Sends a request and reads the whole response body, up to `limit` bytes.
    /// - Throws: AsyncHTTPClient / NIO errors; NIO's `NIOTooManyBytesError` beyond `limit`.
    func fetch(method: HTTPMethod, path: String, bearer: String?, limit: Int = 256 * 1024 * 1024, timeout: TimeInterval = 60)
        async throws -> (status: Int, body: ByteBuffer)
    {
        var request = HTTPClientRequest(url: endpoint.url + path)
        request.method = method
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: endpoint.userAgent)
        if let bearer { request.headers.add(name: "Authorization", value: "Bearer \(bearer)") }
        let response = try await http.execute(request, timeout: .seconds(Int64(timeout)), logger: logger)
        let body = try await response.body.collect(upTo: limit)
        return (Int(response.status.code), body)
    }

    /// Opens a watch (`GET path`) and yields its body line by line, until the server ends it.
    /// - Returns: the HTTP status and the lines (only a 200's body is streamed; another status's
    ///   body comes as one element).
    /// - Throws: AsyncHTTPClient / NIO errors, from the call or the stream.
    func watch(path: String, bearer: String?) async throws -> (status: Int, lines: AsyncThrowingStream<[UInt8], any Error>) {
        var request = HTTPClientRequest(url: endpoint.url + path)
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: endpoint.userAgent)
        if let bearer { request.headers.add(name: "Authorization", value: "Bearer \(bearer)") }
        let response = try await http.execute(request, deadline: .distantFuture, logger: logger)
        let status = Int(response.status.code)
        let lines = LineStream.lines(response.body)
        return (status, lines)
    }

    /// Closes the connections. Call once, after the last `send` returned.
    func shutdown() async {
        do {
            try await http.shutdown()
        } catch {
            logger.debug("reporter: HTTP client shutdown", metadata: ["error": "\(error)"])
        }
    }
}

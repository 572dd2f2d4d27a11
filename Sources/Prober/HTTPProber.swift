import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import NIOSSL

/// An `httpGet` probe as kubelet's: `GET scheme://host:port/path` (HTTPS without certificate
/// verification), with the probe's headers, `User-Agent: kube-probe/<version>` and
/// `Accept: */*` unless the probe sets them, no keep-alive, at most `timeoutSeconds`.
/// A status in [200, 400) is a success; another is a failure
/// `HTTP probe failed with statuscode: <code>`; a connection error or timeout is a failure with
/// the error (`Get "<url>": dial tcp ...: connect: connection refused`).
///
/// Redirects are not followed: a 3xx is a success, as kubelet treats a redirect it does not follow.
public struct HTTPProber: Sendable {
    let userAgent: String

    public init(userAgent: String) { self.userAgent = userAgent }

    /// One client for the process: probes never verify certificates and never reuse connections.
    /// Never shut down (it lives as long as the process), so no agent owns it.
    static let client: HTTPClient = {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.certificateVerification = .none
        var config = HTTPClient.Configuration(
            tlsConfiguration: tls, redirectConfiguration: .disallow,
            timeout: HTTPClient.Configuration.Timeout(), decompression: .disabled)
        config.connectionPool = HTTPClient.Configuration.ConnectionPool(idleTimeout: .seconds(1))
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: config)
    }()

    /// The most of a response body that is read (kubelet: 10 KiB).
    static let maxBodyBytes = 10 * 1024

    public func probe(
        scheme: String, host: String, port: Int, path: String, headers: [(String, String)],
        timeoutSeconds: Int64
    ) async -> ProbeOutcome {
        let url = Self.url(scheme: scheme, host: host, port: port, path: path)
        var request = HTTPClientRequest(url: url)
        request.method = .GET
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if !request.headers.contains(name: "User-Agent") { request.headers.add(name: "User-Agent", value: userAgent) }
        if !request.headers.contains(name: "Accept") { request.headers.add(name: "Accept", value: "*/*") }
        request.headers.replaceOrAdd(name: "Connection", value: "close")
        do {
            let response = try await Self.client.execute(request, timeout: .seconds(max(1, timeoutSeconds)))
            var body = ""
            do {
                var bytes = 0
                for try await chunk in response.body {
                    if bytes < Self.maxBodyBytes {
                        body += String(buffer: chunk)
                    }
                    bytes += chunk.readableBytes
                }
            } catch {}
            if body.utf8.count > Self.maxBodyBytes { body = String(decoding: body.utf8.prefix(Self.maxBodyBytes), as: UTF8.self) }
            let code = Int(response.status.code)
            if code >= 200 && code < 400 { return .success(output: body) }
            return .failure(output: "HTTP probe failed with statuscode: \(code)")
        } catch {
            let reason: String
            if let e = error as? HTTPClientError, e == .deadlineExceeded || e == .readTimeout {
                reason = "context deadline exceeded (Client.Timeout exceeded while awaiting headers)"
            } else {
                reason = "dial tcp \(NetworkErrorText.hostPort(host, port)): \(NetworkErrorText.reason(error))"
            }
            return .failure(output: "Get \"\(url)\": \(reason)")
        }
    }

    /// `scheme://host:port/path` (kubelet's formatURL), scheme lowercased, a path without a
    /// leading slash given one.
    static func url(scheme: String, host: String, port: Int, path: String) -> String {
        let p = path.hasPrefix("/") ? path : "/" + path
        return "\(scheme.lowercased())://\(NetworkErrorText.hostPort(host, port))\(p)"
    }
}

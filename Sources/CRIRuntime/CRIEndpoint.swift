import Foundation

/// Where the CRI runtime listens: a unix socket path, parsed from kubelet's
/// `--container-runtime-endpoint` syntax.
///
/// Accepted: `unix:///run/containerd/containerd.sock` (kubelet's form) or a bare path
/// (`/run/containerd/containerd.sock`, which kubelet still accepts with a deprecation warning).
/// Anything else (`tcp://`, `npipe://`, `http://`, a relative `unix://` path) is refused with a
/// ``CRIEndpointError``: CRI runtimes on Linux listen on unix sockets, and gRPC over TCP without
/// TLS is not something the agent should silently do.
public struct CRIEndpoint: Sendable, Hashable, CustomStringConvertible {
    /// The socket's filesystem path.
    public let socketPath: String

    /// The largest socket path a `sockaddr_un` holds on Linux (108 bytes with the terminating NUL).
    public static let maxSocketPathBytes = 107

    /// Parses an endpoint string.
    /// - Throws: ``CRIEndpointError`` for an empty string, a scheme other than `unix`, a `unix://`
    ///   endpoint whose path is not absolute, or a path longer than ``maxSocketPathBytes``.
    public init(parsing endpoint: String) throws {
        let trimmed = endpoint.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw CRIEndpointError.empty }
        let path: String
        if let schemeEnd = trimmed.range(of: "://") {
            let scheme = String(trimmed[..<schemeEnd.lowerBound])
            guard scheme.lowercased() == "unix" else {
                throw CRIEndpointError.unsupportedScheme(endpoint: endpoint, scheme: scheme)
            }
            path = String(trimmed[schemeEnd.upperBound...])
            guard path.hasPrefix("/") else { throw CRIEndpointError.relativePath(endpoint: endpoint) }
        } else if trimmed.hasPrefix("unix:") {
            // `unix:/path` (one slash) is a valid URL for the same socket.
            path = String(trimmed.dropFirst("unix:".count))
            guard path.hasPrefix("/") else { throw CRIEndpointError.relativePath(endpoint: endpoint) }
        } else {
            path = trimmed
        }
        guard path.utf8.count <= Self.maxSocketPathBytes else {
            throw CRIEndpointError.pathTooLong(path: path, bytes: path.utf8.count)
        }
        self.socketPath = path
    }

    /// `unix://<path>`, the form kubelet and crictl print.
    public var description: String { "unix://\(socketPath)" }
}

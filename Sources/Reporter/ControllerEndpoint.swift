import Foundation

/// Where the controller is and how to authenticate to it. Shared by `StatusReporter` and
/// `NodeStatusReporter`.
public struct ControllerEndpoint: Sendable, Hashable {
    /// The base URL as given, without a trailing slash: `http(s)://host[:port][/prefix]`.
    /// Request paths (`/api/v1/...`) are appended to it.
    public let url: String
    /// Whether `url` is https (the server is then verified, against `caFile` when set).
    public let isHTTPS: Bool
    /// A file holding the bearer token (surrounding whitespace is ignored); nil sends no
    /// `Authorization` header. Re-read when its inode, size or modification time changes.
    public var tokenFile: String?
    /// A PEM file of the CA certificates that sign the controller's certificate (https only; with
    /// https and no CA file the system's trust roots are used). Read when the reporter starts its
    /// HTTP client; replace the file and restart the service to rotate the CA.
    public var caFile: String?
    /// Deadline of one request, from sending to the end of the response head, in seconds (> 0).
    public var requestTimeout: TimeInterval
    /// The `User-Agent` header, e.g. `inplaced/0.3.0`.
    public var userAgent: String

    /// - Parameters:
    ///   - url: `http://host[:port][/prefix]` or `https://...`; no query or fragment.
    ///   - requestTimeout: seconds, default 10.
    /// - Throws: `ReporterError.invalidURL` when `url` is not an absolute http(s) URL with a host;
    ///   `ReporterError.invalidConfiguration` when `requestTimeout` is not positive.
    public init(
        url: String, tokenFile: String? = nil, caFile: String? = nil, requestTimeout: TimeInterval = 10,
        userAgent: String = "inplaced"
    ) throws(ReporterError) {
        guard let parts = URLComponents(string: url) else {
            throw .invalidURL(url: url, detail: "not a URL")
        }
        let scheme = parts.scheme?.lowercased()
        guard scheme == "http" || scheme == "https" else {
            throw .invalidURL(url: url, detail: "the scheme must be http or https")
        }
        guard let host = parts.host, !host.isEmpty else {
            throw .invalidURL(url: url, detail: "no host")
        }
        guard parts.query == nil, parts.fragment == nil else {
            throw .invalidURL(url: url, detail: "a query or fragment is not allowed")
        }
        guard requestTimeout > 0, requestTimeout.isFinite else {
            throw .invalidConfiguration(detail: "requestTimeout must be a positive number of seconds, got \(requestTimeout)")
        }
        var base = url
        while base.hasSuffix("/") { base.removeLast() }
        self.url = base
        self.isHTTPS = scheme == "https"
        self.tokenFile = tokenFile
        self.caFile = caFile
        self.requestTimeout = requestTimeout
        self.userAgent = userAgent
    }

    /// `/api/v1/namespaces/{namespace}/pods/{name}/status`, segments percent-encoded.
    public static func podStatusPath(namespace: String, name: String) -> String {
        "/api/v1/namespaces/\(segment(namespace))/pods/\(segment(name))/status"
    }

    /// `/api/v1/nodes/{node}/status`, the segment percent-encoded.
    /// `/api/v1/namespaces/{namespace}/pods/{name}`, each segment percent-encoded.
    public static func podPath(namespace: String, name: String) -> String {
        "/api/v1/namespaces/\(segment(namespace))/pods/\(segment(name))"
    }

    public static func nodeStatusPath(node: String) -> String {
        "/api/v1/nodes/\(segment(node))/status"
    }

    private static let segmentAllowed: CharacterSet = {
        var set = CharacterSet.urlPathAllowed
        set.remove(charactersIn: "/;?#%")
        return set
    }()

    static func segment(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: segmentAllowed) ?? s
    }
}

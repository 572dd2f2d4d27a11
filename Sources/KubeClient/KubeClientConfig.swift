/// Where a controller finds its API server and how it proves who it is (a kubeconfig's cluster
/// and user, reduced to what this project needs).
public struct KubeClientConfig: Sendable, Hashable {
    /// `http://host:port` or `https://host:port`, no trailing slash.
    public var url: String
    /// The bearer token sent with every request (nil: none).
    public var token: String?
    /// PEM file of the CAs the server's certificate must chain to (https; nil: system roots).
    public var caFile: String?
    /// Skips verifying the server's certificate: only for a process's own loopback connection.
    public var insecureSkipTLSVerify: Bool
    /// Sent as `User-Agent`, as client-go sends `<binary>/<version>`.
    public var userAgent: String
    /// Seconds a request (not a watch) may take.
    public var requestTimeoutSeconds: Double

    public init(
        url: String, token: String? = nil, caFile: String? = nil, insecureSkipTLSVerify: Bool = false,
        userAgent: String = "inplace-controller", requestTimeoutSeconds: Double = 30
    ) {
        self.url = url.hasSuffix("/") ? String(url.dropLast()) : url
        self.token = token
        self.caFile = caFile
        self.insecureSkipTLSVerify = insecureSkipTLSVerify
        self.userAgent = userAgent
        self.requestTimeoutSeconds = requestTimeoutSeconds
    }
}

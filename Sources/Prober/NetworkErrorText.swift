import AsyncHTTPClient
import NIOCore
import NIOPosix

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Connection errors worded as Go's net package words them, as kubelet's probes report them
/// (`dial tcp 10.0.0.5:8080: connect: connection refused`, `dial tcp 10.0.0.5:8080: i/o timeout`).
enum NetworkErrorText {
    static func dial(_ error: Error, host: String, port: Int) -> String {
        "dial tcp \(hostPort(host, port)): \(reason(error))"
    }

    /// `host:port`, with brackets around an IPv6 address (Go's net.JoinHostPort).
    static func hostPort(_ host: String, _ port: Int) -> String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    static func reason(_ error: Error) -> String {
        if let e = error as? NIOConnectionError {
            if let first = e.connectionErrors.first { return reason(first.error) }
            if let dns = e.dnsAError ?? e.dnsAAAAError { return "lookup \(e.host): \(dns)" }
            return "lookup \(e.host): no such host"
        }
        if let e = error as? IOError { return "connect: " + strerrorText(e.errnoCode) }
        if let e = error as? ChannelError, case .connectTimeout = e { return "i/o timeout" }
        if let e = error as? HTTPClientError {
            if e == .connectTimeout || e == .deadlineExceeded { return "i/o timeout" }
            return "\(e)"
        }
        return "\(error)"
    }

    /// The C library's text for an errno, lowercased as Go prints it (`connection refused`).
    static func strerrorText(_ code: CInt) -> String {
        guard let p = strerror(code) else { return "errno \(code)" }
        return String(cString: p).lowercased()
    }
}

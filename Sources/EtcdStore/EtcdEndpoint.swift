import APIStore

/// One etcd member's client address, `host:port` (plain HTTP/2, no TLS), as etcdctl's
/// `--endpoints` takes it; an `http://` prefix is accepted and dropped.
public struct EtcdEndpoint: Sendable, Hashable, CustomStringConvertible {
    public let host: String
    public let port: Int

    /// Parses `host:port` or `http://host:port`.
    /// - Throws: `StoreError.unavailable(call: "etcd endpoint", …)` when there is no host or the
    ///   port is not a number in 1...65535.
    public init(parsing text: String) throws(StoreError) {
        var rest = Substring(trimmed(text))
        if rest.hasPrefix("http://") { rest = rest.dropFirst("http://".count) }
        while rest.hasSuffix("/") { rest = rest.dropLast() }
        guard let colon = rest.lastIndex(of: ":"), colon != rest.startIndex,
            let port = Int(rest[rest.index(after: colon)...]), (1...65535).contains(port)
        else {
            throw .unavailable(call: "etcd endpoint", reason: "'\(text)' is not host:port")
        }
        self.host = String(rest[..<colon])
        self.port = port
    }

    /// Parses a comma-separated list (`INPLACED_ETCD_ENDPOINTS`' form); empty items are skipped.
    /// - Throws: as ``init(parsing:)``, and when the list holds no endpoint.
    public static func parseList(_ text: String) throws(StoreError) -> [EtcdEndpoint] {
        var endpoints: [EtcdEndpoint] = []
        for item in text.split(separator: ",") where !trimmed(item).isEmpty {
            endpoints.append(try EtcdEndpoint(parsing: String(item)))
        }
        guard !endpoints.isEmpty else { throw .unavailable(call: "etcd endpoint", reason: "no endpoint in '\(text)'") }
        return endpoints
    }

    /// `host:port`.
    public var description: String { "\(host):\(port)" }
}

private func trimmed(_ text: some StringProtocol) -> String {
    String(text.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
}

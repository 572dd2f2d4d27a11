import AsyncHTTPClient
import Foundation
import PodAPI

/// A client of inplaced's status socket (HTTP/1.1 + JSON over a unix socket), speaking
/// `http+unix://` through AsyncHTTPClient.
///
/// Every call throws ``StatusClientError``: `.unreachable` when the socket is missing or
/// refuses (`cannot reach inplaced at <path>: connection refused (is inplaced running?)`),
/// `.server` for a `Status` error (`Error from server (NotFound): pods "x" not found`),
/// `.unexpectedResponse` for a body it cannot read.
public struct StatusClient: Sendable {
    /// The unix socket path, absolute or relative to the working directory.
    public let socketPath: String
    /// How long one request may take, connect included.
    public let timeout: Duration

    public init(socketPath: String, timeout: Duration = .seconds(10)) {
        self.socketPath = socketPath
        self.timeout = timeout
    }

    /// `GET /v1/pods`: every pod on the node, sorted by namespace then name.
    public func pods() async throws -> PodList {
        try await get("/v1/pods", as: PodList.self)
    }

    /// `GET /v1/pods/{namespace}/{name}`: one pod with its status.
    public func pod(namespace: String, name: String) async throws -> Pod {
        try await get("/v1/pods/\(segment(namespace))/\(segment(name))", as: Pod.self)
    }

    /// `GET /v1/pods/{namespace}/{name}/updates`: the pod's in-place updates, oldest first.
    public func updates(namespace: String, name: String) async throws -> [InPlaceUpdate] {
        try await get("/v1/pods/\(segment(namespace))/\(segment(name))/updates", as: UpdateList.self).items
    }

    /// `GET /v1/events`: events, oldest first; only those of `namespace` (and pod `name`) when given.
    public func events(namespace: String? = nil, name: String? = nil) async throws -> EventList {
        var query: [String] = []
        if let namespace { query.append("namespace=\(queryValue(namespace))") }
        if let name { query.append("name=\(queryValue(name))") }
        return try await get("/v1/events" + (query.isEmpty ? "" : "?" + query.joined(separator: "&")), as: EventList.self)
    }

    /// `GET /healthz`: the agent's health, whether it is healthy (200) or not (503).
    public func health() async throws -> AgentHealth {
        let (code, body) = try await fetch("/healthz")
        if code == 200 || code == 503, let health = try? JSONDecoder().decode(AgentHealth.self, from: body) {
            return health
        }
        throw error(code: code, body: body)
    }

    /// `GET /metrics`: Prometheus text.
    public func metrics() async throws -> String {
        let (code, body) = try await fetch("/metrics")
        guard code == 200 else { throw error(code: code, body: body) }
        return String(decoding: body, as: UTF8.self)
    }

    // MARK: - Transport

    private struct UpdateList: Decodable { var items: [InPlaceUpdate] }

    private func get<T: Decodable>(_ uri: String, as type: T.Type) async throws -> T {
        let (code, body) = try await fetch(uri)
        guard code == 200 else { throw error(code: code, body: body) }
        do {
            return try JSONDecoder().decode(T.self, from: body)
        } catch {
            throw StatusClientError.unexpectedResponse(code: code, body: String(decoding: body, as: UTF8.self))
        }
    }

    private func error(code: Int, body: Data) -> StatusClientError {
        if let status = try? JSONDecoder().decode(ServerStatus.self, from: body), status.kind == "Status" {
            return .server(status)
        }
        return .unexpectedResponse(code: code, body: String(decoding: body, as: UTF8.self))
    }

    /// One `GET uri` (path and query, e.g. `/v1/events?namespace=default`): the HTTP status
    /// code and the whole body, whatever the code.
    /// - Throws: ``StatusClientError/unreachable(socketPath:reason:)`` when no answer comes.
    public func fetch(_ uri: String) async throws -> (status: Int, body: Data) {
        if let reason = SocketProbe.unreachableReason(socketPath) {
            throw StatusClientError.unreachable(socketPath: socketPath, reason: reason)
        }
        guard let url = URL(httpURLWithSocketPath: socketPath, uri: uri) else {
            throw StatusClientError.unreachable(socketPath: socketPath, reason: "cannot form an http+unix URL for this path")
        }
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        var request = HTTPClientRequest(url: url.absoluteString)
        request.headers.add(name: "Accept", value: "application/json")
        let result: Result<(status: Int, body: Data), Error>
        do {
            let response = try await client.execute(request, timeout: .nanoseconds(timeout.nanoseconds))
            let buffer = try await response.body.collect(upTo: 256 << 20)
            result = .success((Int(response.status.code), Data(buffer.readableBytesView)))
        } catch {
            result = .failure(StatusClientError.unreachable(socketPath: socketPath, reason: Self.reason(error)))
        }
        try? await client.shutdown()
        return try result.get()
    }

    private static func reason(_ error: Error) -> String {
        if let e = error as? HTTPClientError {
            switch e {
            case .deadlineExceeded, .readTimeout, .connectTimeout: return "timed out"
            case .remoteConnectionClosed: return "connection closed by inplaced"
            default: return "\(e)"
            }
        }
        return "\(error)"
    }

    private func segment(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? s
    }

    private func queryValue(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? s
    }
}

extension Duration {
    var nanoseconds: Int64 {
        let (s, atto) = components
        return s * 1_000_000_000 + atto / 1_000_000_000
    }
}

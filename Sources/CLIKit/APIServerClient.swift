import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL
import PodAPI

/// A client of the fleet's API server (inplace-controller, or a kube-apiserver): Kubernetes
/// paths, the bearer token, TLS verified against the CA file. Errors are ``StatusClientError``s:
/// `.server` for a `Status` (`Error from server (NotFound): pods "x" not found`),
/// `.unreachable` when no answer comes.
public struct APIServerClient: PodReader {
    public let config: ServerConfig
    public let timeout: Duration

    public init(config: ServerConfig, timeout: Duration = .seconds(30)) {
        self.config = config
        self.timeout = timeout
    }

    public func pods() async throws -> PodList {
        var list = try await decode(PodList.self, try await call(.GET, "/api/v1/pods"))
        list.items.sort { ($0.metadata.namespace ?? "", $0.metadata.name ?? "") < ($1.metadata.namespace ?? "", $1.metadata.name ?? "") }
        return list
    }

    public func pod(namespace: String, name: String) async throws -> Pod {
        try decode(Pod.self, try await call(.GET, "/api/v1/namespaces/\(segment(namespace))/pods/\(segment(name))"))
    }

    public func updates(namespace: String, name: String) async throws -> [InPlaceUpdate] { [] }

    public func events(namespace: String?, name: String?) async throws -> EventList {
        let path = namespace.map { "/api/v1/namespaces/\(segment($0))/events" } ?? "/api/v1/events"
        let query =
            name.map { "?fieldSelector=" + "involvedObject.name=\($0)".addingPercentEncoding(withAllowedCharacters: .alphanumerics)! } ?? ""
        var list = try decode(EventList.self, try await call(.GET, path + query))
        list.items.sort { $0.lastTimestamp < $1.lastTimestamp }
        return list
    }

    /// Every node, as JSON objects.
    public func nodes() async throws -> [JSONValue] {
        try await call(.GET, "/api/v1/nodes").body.array("items").sorted {
            ($0["metadata"]?.string("name") ?? "") < ($1["metadata"]?.string("name") ?? "")
        }
    }

    /// The CloneSets of `namespace` (nil: every namespace), as v1beta1 objects, by name.
    public func cloneSets(namespace: String?) async throws -> [JSONValue] {
        let path =
            namespace.map { "/apis/apps.kruise.io/v1beta1/namespaces/\($0)/clonesets" } ?? "/apis/apps.kruise.io/v1beta1/clonesets"
        return try await call(.GET, path).body.array("items").sorted {
            ($0["metadata"]?.string("name") ?? "") < ($1["metadata"]?.string("name") ?? "")
        }
    }

    /// One request; the HTTP code and the JSON body. A `Status` error is thrown.
    /// - Throws: ``StatusClientError``.
    @discardableResult
    public func call(_ method: HTTPMethod, _ path: String, body: JSONValue? = nil, contentType: String = "application/json") async throws
        -> (
            code: Int, body: JSONValue
        )
    {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        if config.url.hasPrefix("https://") {
            var tls = TLSConfiguration.makeClientConfiguration()
            if let ca = config.caFile { tls.trustRoots = .file(ca) }
            configuration.tlsConfiguration = tls
        }
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        var request = HTTPClientRequest(url: config.url + path)
        request.method = method
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "Content-Type", value: contentType)
        request.headers.add(name: "User-Agent", value: "inplacectl")
        if let token = config.token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let body { request.body = .bytes(ByteBuffer(bytes: body.jsonBytes())) }
        let result: Result<(Int, [UInt8]), Error>
        do {
            let response = try await client.execute(request, timeout: .nanoseconds(timeout.nanoseconds))
            let buffer = try await response.body.collect(upTo: 256 << 20)
            result = .success((Int(response.status.code), Array(buffer.readableBytesView)))
        } catch {
            result = .failure(StatusClientError.unreachable(socketPath: config.url, reason: "\(error)"))
        }
        try? await client.shutdown()
        let (code, bytes) = try result.get()
        let json = (try? JSONValue.parse(bytes)) ?? .string(String(decoding: bytes, as: UTF8.self))
        if !(200..<300).contains(code) {
            if let status = try? JSONDecoder().decode(ServerStatus.self, from: Data(bytes)), status.kind == "Status" {
                throw StatusClientError.server(status)
            }
            throw StatusClientError.unexpectedResponse(code: code, body: String(decoding: bytes, as: UTF8.self))
        }
        return (code, json)
    }

    func decode<T: Decodable>(_ type: T.Type, _ answer: (code: Int, body: JSONValue)) throws -> T {
        do { return try JSONDecoder().decode(T.self, from: Data(answer.body.jsonBytes())) } catch {
            throw StatusClientError.unexpectedResponse(code: answer.code, body: String(answer.body.jsonText().prefix(300)))
        }
    }

    private func segment(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? s
    }
}

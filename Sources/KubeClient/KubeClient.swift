import AsyncHTTPClient
import Foundation
import KubeAPI
import NIOCore
import NIOHTTP1
import NIOSSL
import PodAPI

/// A client of a Kubernetes API server (inplace-controller's or a real kube-apiserver), as
/// client-go's REST client: the resource paths, JSON bodies, the bearer token, TLS. Every write
/// carries what the caller read (an update sends the object with its `metadata.resourceVersion`,
/// so a stale write is a 409 `Conflict`, see ``retryOnConflict(attempts:_:)``).
///
/// Create one per controller and ``shutdown()`` it once, after the last call.
public final class KubeClient: Sendable {
    public let config: KubeClientConfig
    private let http: HTTPClient

    public init(config: KubeClientConfig) {
        self.config = config
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 8)
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout = .init(connect: .seconds(5), read: nil)
        if config.url.hasPrefix("https://") {
            var tls = TLSConfiguration.makeClientConfiguration()
            if let ca = config.caFile { tls.trustRoots = .file(ca) }
            if config.insecureSkipTLSVerify { tls.certificateVerification = .none }
            tls.shutdownTimeout = .seconds(1)
            configuration.tlsConfiguration = tls
        }
        http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Closes the connections.
    public func shutdown() async { try? await http.shutdown() }

    // MARK: verbs

    /// GET one object.
    /// - Throws: ``KubeClientError`` (`isNotFound` when it does not exist).
    public func get(_ r: APIResource, namespace: String?, name: String) async throws(KubeClientError) -> JSONValue {
        try await call(.GET, Self.path(r, namespace: namespace, name: name))
    }

    /// LIST a collection (`namespace` nil: every namespace), optionally by label and field
    /// selectors in their text form (`app=web`, `spec.nodeName=n1`).
    /// - Returns: the items and the list's `metadata.resourceVersion` (to watch from).
    /// - Throws: ``KubeClientError``.
    public func list(_ r: APIResource, namespace: String?, labelSelector: String? = nil, fieldSelector: String? = nil)
        async throws(KubeClientError) -> (items: [JSONValue], resourceVersion: String)
    {
        let list = try await call(.GET, Self.path(r, namespace: namespace) + Self.query(label: labelSelector, field: fieldSelector))
        return (list.array("items"), list["metadata"]?.string("resourceVersion") ?? "0")
    }

    /// POST a new object into its namespace.
    /// - Throws: ``KubeClientError`` (`isAlreadyExists` for a taken name; 422 for an invalid object).
    public func create(_ r: APIResource, namespace: String?, _ object: JSONValue) async throws(KubeClientError) -> JSONValue {
        try await call(.POST, Self.path(r, namespace: namespace), body: object)
    }

    /// PUT the whole object, or its `status` subresource; its `metadata.resourceVersion` is the
    /// precondition.
    /// - Throws: ``KubeClientError`` (`isConflict` when the object changed since it was read).
    public func update(_ r: APIResource, namespace: String?, name: String, _ object: JSONValue, subresource: String? = nil)
        async throws(KubeClientError) -> JSONValue
    {
        try await call(.PUT, Self.path(r, namespace: namespace, name: name, subresource: subresource), body: object)
    }

    /// PATCH by `contentType` (`application/merge-patch+json` or
    /// `application/strategic-merge-patch+json`); a `metadata.resourceVersion` in the patch is a
    /// precondition.
    /// - Throws: ``KubeClientError``.
    public func patch(
        _ r: APIResource, namespace: String?, name: String, contentType: String, _ patch: JSONValue, subresource: String? = nil
    ) async throws(KubeClientError) -> JSONValue {
        try await call(
            .PATCH, Self.path(r, namespace: namespace, name: name, subresource: subresource), body: patch, contentType: contentType)
    }

    /// DELETE an object; `uid` (when given) must still be its uid (`preconditions.uid`).
    /// - Throws: ``KubeClientError`` (`isNotFound` when it is already gone).
    public func delete(_ r: APIResource, namespace: String?, name: String, uid: String? = nil, gracePeriodSeconds: Int? = nil)
        async throws(KubeClientError)
    {
        var options: JSONValue = ["kind": "DeleteOptions", "apiVersion": "v1"]
        if let uid { options.set("preconditions", ["uid": .string(uid)]) }
        if let gracePeriodSeconds { options.set("gracePeriodSeconds", .integer(Int64(gracePeriodSeconds))) }
        _ = try await call(.DELETE, Self.path(r, namespace: namespace, name: name), body: options)
    }

    /// Opens a WATCH from `resourceVersion`; events come as parsed `{"type","object"}` lines
    /// until the server ends the watch (at most `timeoutSeconds`).
    /// - Throws: ``KubeClientError``: `.status(410, "Expired", ...)` when the version is too old
    ///   (list again), another status for other refusals, `.transport` when no answer comes.
    public func watch(
        _ r: APIResource, namespace: String?, resourceVersion: String, labelSelector: String? = nil, timeoutSeconds: Int = 300
    ) async throws(KubeClientError) -> AsyncThrowingStream<JSONValue, any Error> {
        var query = Self.query(label: labelSelector, field: nil)
        query += (query.isEmpty ? "?" : "&") + "watch=true&allowWatchBookmarks=true&timeoutSeconds=\(timeoutSeconds)"
        query += "&resourceVersion=\(resourceVersion)"
        let path = Self.path(r, namespace: namespace) + query
        let response: HTTPClientResponse
        do {
            response = try await http.execute(request(.GET, path, body: nil, contentType: nil), deadline: .distantFuture)
        } catch {
            throw .transport(call: "GET \(path)", reason: "\(error)")
        }
        guard response.status == .ok else {
            let bytes = (try? await response.body.collect(upTo: 1 << 20)).map { Array($0.readableBytesView) } ?? []
            throw Self.failure(code: Int(response.status.code), bytes: bytes, call: "GET \(path)")
        }
        let lines = LineStream.lines(response.body)
        return AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    for try await line in lines { continuation.yield(try JSONValue.parse(line)) }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    // MARK: plumbing

    /// One request and its JSON answer.
    /// - Throws: ``KubeClientError``.
    func call(_ method: HTTPMethod, _ path: String, body: JSONValue? = nil, contentType: String = "application/json")
        async throws(KubeClientError) -> JSONValue
    {
        let name = "\(method.rawValue) \(path)"
        let code: Int
        let bytes: [UInt8]
        do {
            let timeout = TimeAmount.milliseconds(Int64(config.requestTimeoutSeconds * 1000))
            let response = try await http.execute(request(method, path, body: body, contentType: contentType), timeout: timeout)
            code = Int(response.status.code)
            bytes = Array(try await response.body.collect(upTo: 256 << 20).readableBytesView)
        } catch {
            throw .transport(call: name, reason: "\(error)")
        }
        guard (200..<300).contains(code) else { throw Self.failure(code: code, bytes: bytes, call: name) }
        do { return try JSONValue.parse(bytes) } catch {
            throw .transport(call: name, reason: "answer is not JSON: \(String(decoding: bytes.prefix(200), as: UTF8.self))")
        }
    }

    func request(_ method: HTTPMethod, _ path: String, body: JSONValue?, contentType: String?) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: config.url + path)
        request.method = method
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: config.userAgent)
        if let contentType, body != nil { request.headers.add(name: "Content-Type", value: contentType) }
        if let token = config.token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let body { request.body = .bytes(ByteBuffer(bytes: body.jsonBytes())) }
        return request
    }

    /// The error of a non-2xx answer: its `Status` when it is one.
    static func failure(code: Int, bytes: [UInt8], call: String) -> KubeClientError {
        if let status = try? JSONValue.parse(bytes), status.string("kind") == "Status" {
            return .status(code: code, reason: status.string("reason") ?? "Unknown", message: status.string("message") ?? "")
        }
        return .status(code: code, reason: "Unknown", message: "\(call): \(String(decoding: bytes.prefix(300), as: UTF8.self))")
    }

    /// `/api/v1[/namespaces/ns]/plural[/name[/sub]]` or the `/apis/group/version/...` form.
    public static func path(_ r: APIResource, namespace: String?, name: String? = nil, subresource: String? = nil) -> String {
        var p = r.group.isEmpty ? "/api/\(r.version)" : "/apis/\(r.group)/\(r.version)"
        if r.namespaced, let namespace { p += "/namespaces/\(segment(namespace))" }
        p += "/\(r.plural)"
        if let name { p += "/\(segment(name))" }
        if let subresource { p += "/\(subresource)" }
        return p
    }

    static func query(label: String?, field: String?) -> String {
        var parts: [String] = []
        if let label, !label.isEmpty { parts.append("labelSelector=" + escape(label)) }
        if let field, !field.isEmpty { parts.append("fieldSelector=" + escape(field)) }
        return parts.isEmpty ? "" : "?" + parts.joined(separator: "&")
    }

    static func escape(_ s: String) -> String { s.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? s }

    static func segment(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? s
    }
}

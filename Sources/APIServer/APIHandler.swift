import APIRegistry
import Foundation
import KubeAPI
import Logging
import PodAPI

/// The API server's request handling apart from HTTP: authenticate, parse the path, authorize,
/// decode the body and call the registry. Every failure is an `APIError`, answered as a `Status`.
public struct APIHandler: Sendable {
    public let registry: ObjectRegistry
    /// nil: no token file, every request is an admin's.
    public let authenticator: TokenAuthenticator?
    /// The largest request body taken (bytes); kube-apiserver's limit is 3 MiB.
    public let maxBodyBytes: Int
    /// Seconds between BOOKMARK events of a watch that allows them.
    public let bookmarkSeconds: Int
    /// The watches being streamed (ended at graceful shutdown).
    public let openWatches = OpenWatches()
    /// The longest watch (seconds) when the client asks for none (`timeoutSeconds`).
    public let defaultWatchSeconds: Int
    /// `apiserver_request_total`, served at `GET /metrics`.
    public let metrics = APIMetrics()

    public init(
        registry: ObjectRegistry, authenticator: TokenAuthenticator?, maxBodyBytes: Int = 3 * 1024 * 1024, bookmarkSeconds: Int = 60,
        defaultWatchSeconds: Int = 1800
    ) {
        self.registry = registry
        self.authenticator = authenticator
        self.maxBodyBytes = maxBodyBytes
        self.bookmarkSeconds = bookmarkSeconds
        self.defaultWatchSeconds = defaultWatchSeconds
    }

    /// Handles `request`; never throws: errors become their `Status`.
    public func handle(_ request: APIRequest) async -> APIResult {
        let result: APIResult
        do {
            result = try await dispatch(request)
        } catch {
            result = .object(code: error.code, body: error.status)
        }
        let watch = request.query["watch"] == "true" || request.query["watch"] == "1"
        let info = try? RequestInfo.parse(method: request.method, path: request.path, watch: watch)
        let code: Int
        switch result {
        case .object(let c, _): code = c
        case .watch: code = 200
        }
        metrics.count(
            verb: APIMetrics.verb(info, method: request.method), resource: info?.resource.plural ?? "",
            subresource: info?.subresource ?? "", code: code)
        return result
    }

    /// The metrics text for an admin (kube-apiserver's `/metrics`).
    /// - Throws: `APIError.unauthorized` or `.forbidden` for anyone else.
    public func metricsText(authorization: String?) throws(APIError) -> String {
        let user = try authenticator?.authenticate(authorization: authorization) ?? .anonymousAdmin
        guard user.isAdmin else {
            throw .forbidden(
                .pods, name: nil, user: user.name, verb: "get", subresource: nil, namespace: nil, reason: "only admins read /metrics")
        }
        return metrics.registry.emitToString()
    }

    func dispatch(_ request: APIRequest) async throws(APIError) -> APIResult {
        let user = try authenticator?.authenticate(authorization: request.authorization) ?? .anonymousAdmin
        if request.method == "GET", ["/healthz", "/readyz", "/livez"].contains(request.path) {
            return .object(code: 200, body: "ok")
        }
        if request.method == "GET", request.path == "/version" {
            return .object(code: 200, body: ["major": "1", "minor": "32", "gitVersion": "v1.32.0-inplace", "platform": "linux/amd64"])
        }
        let watch = request.query["watch"] == "true" || request.query["watch"] == "1"
        var info = try RequestInfo.parse(method: request.method, path: request.path, watch: watch)
        if request.body.count > maxBodyBytes { throw .tooLarge(limit: maxBodyBytes) }
        // A create is authorized for the object it names (as NodeRestriction admission does).
        if info.verb == "create", info.name == nil, let body = try? JSONValue.parse(request.body) {
            info.name = body["metadata"]?.string("name")
        }
        let r = info.resource
        let options = try listOptions(request.query, r)
        let fieldNode = options.fieldSelector?.equalityValue(of: "spec.nodeName")
        switch Authorizer.decide(user: user, info: info, fieldNode: fieldNode, boundNode: nil) {
        case .allow: break
        case .deny(let reason): throw forbidden(user, info, reason)
        case .needsBoundNode:
            let pod = try await registry.get(r, namespace: info.namespace, name: info.name ?? "")
            let bound = pod["spec"]?.string("nodeName") ?? ""
            if case .deny(let reason) = Authorizer.decide(user: user, info: info, fieldNode: fieldNode, boundNode: bound) {
                throw forbidden(user, info, reason)
            }
        }
        if info.verb == "create", info.subresource == nil { info.name = nil }  // the collection is written
        let name = info.name ?? ""
        if info.subresource == "scale" {
            let body = info.verb == "get" ? nil : try parseBody(request.body)
            let type = info.verb == "patch" ? PatchType(contentType: request.contentType ?? "") : nil
            if info.verb == "patch", type == nil { throw .unsupportedMediaType(request.contentType ?? "") }
            let scale = try await ScaleSubresource.handle(
                verb: info.verb, registry: registry, r, namespace: info.namespace, name: name, body: body, patchType: type)
            return .object(code: 200, body: scale)
        }
        switch info.verb {
        case "get":
            let object = try await registry.get(r, namespace: info.namespace, name: name)
            return .object(code: 200, body: object)
        case "list":
            let (items, revision) = try await registry.list(r, namespace: info.namespace, options: options)
            return .object(code: 200, body: registry.listObject(r, items: items, revision: revision))
        case "watch":
            let timeout = request.query["timeoutSeconds"].flatMap(Int.init) ?? defaultWatchSeconds
            let bookmarks = request.query["allowWatchBookmarks"] == "true" ? bookmarkSeconds : nil
            var watchOptions = options
            if let name = info.name {
                let nameSelector = FieldSelector.Requirement(field: "metadata.name", value: name, equals: true)
                var fs = watchOptions.fieldSelector ?? FieldSelector(requirements: [])
                fs.requirements.append(nameSelector)
                watchOptions.fieldSelector = fs
            }
            let events = registry.watch(r, namespace: info.namespace, options: watchOptions)
            return .watch(
                events: events, kind: r.kind, apiVersion: r.apiVersion, timeoutSeconds: max(1, timeout), bookmarkSeconds: bookmarks)
        case "create":
            let body = try parseBody(request.body)
            if info.subresource == "binding" {
                guard let node = body["target"]?.string("name"), !node.isEmpty else {
                    throw .invalid(.pods, name, [.init(reason: "FieldValueRequired", message: "Required value", field: "target.name")])
                }
                _ = try await registry.bind(namespace: info.namespace ?? "default", name: name, node: node)
                return .object(code: 201, body: ["kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Success", "code": 201])
            }
            if let kind = body.string("kind"), kind != r.kind {
                throw .badRequest(
                    "the API version in the data (\(body.string("apiVersion") ?? "")) does not match the expected API version (\(r.apiVersion))"
                )
            }
            let created = try await registry.create(r, namespace: info.namespace, body)
            return .object(code: 201, body: created)
        case "update":
            let body = try parseBody(request.body)
            let updated = try await registry.update(r, namespace: info.namespace, name: name, body, subresource: info.subresource)
            return .object(code: 200, body: updated)
        case "patch":
            guard let type = PatchType(contentType: request.contentType ?? "") else {
                throw .unsupportedMediaType(request.contentType ?? "")
            }
            let body = try parseBody(request.body)
            let patched = try await registry.patch(
                r, namespace: info.namespace, name: name, subresource: info.subresource, type: type, body)
            return .object(code: 200, body: patched)
        case "delete":
            var deleteOptions = DeleteOptions()
            if !request.body.isEmpty { deleteOptions = DeleteOptions(json: try parseBody(request.body)) }
            if let grace = request.query["gracePeriodSeconds"].flatMap(Int64.init) { deleteOptions.gracePeriodSeconds = grace }
            let deleted = try await registry.delete(r, namespace: info.namespace, name: name, options: deleteOptions)
            return .object(code: 200, body: deleted)
        default:
            throw .methodNotAllowed(request.method)
        }
    }

    func forbidden(_ user: UserInfo, _ info: RequestInfo, _ reason: String) -> APIError {
        .forbidden(
            info.resource, name: info.name, user: user.name, verb: info.verb, subresource: info.subresource, namespace: info.namespace,
            reason: reason)
    }

    func parseBody(_ bytes: [UInt8]) throws(APIError) -> JSONValue {
        if bytes.isEmpty { throw .badRequest("the request has no body") }
        do { return try JSONValue.parse(bytes) } catch {
            throw .badRequest("the body of the request is not valid JSON: \(error)")
        }
    }

    func listOptions(_ query: [String: String], _ r: APIResource) throws(APIError) -> ListOptions {
        var options = ListOptions()
        if let text = query["labelSelector"], !text.isEmpty { options.labelSelector = try LabelSelector.parse(text) }
        if let text = query["fieldSelector"], !text.isEmpty { options.fieldSelector = try FieldSelector.parse(text, for: r) }
        if let text = query["resourceVersion"], !text.isEmpty {
            guard let rv = Int64(text), rv >= 0 else {
                throw .badRequest("resourceVersion: Invalid value: \"\(text)\": strconv.ParseUint: parsing \"\(text)\": invalid syntax")
            }
            options.resourceVersion = rv
        }
        return options
    }
}

import PodAPI

/// A failed API call as kube-apiserver answers it: a `Status` object (`kind: Status`,
/// `status: Failure`) with the HTTP code, reason, message and details; the wording of each
/// factory is the API server's (see reference/kube-api-wire.md).
public struct APIError: Error, Sendable, Hashable, CustomStringConvertible {
    /// One cause of an `Invalid` error (`details.causes[]`).
    public struct Cause: Sendable, Hashable {
        public var reason: String
        public var message: String
        public var field: String
        public init(reason: String, message: String, field: String) {
            self.reason = reason
            self.message = message
            self.field = field
        }
    }

    /// The HTTP status code (404, 409, 422, ...).
    public var code: Int
    /// `NotFound`, `AlreadyExists`, `Conflict`, `Invalid`, `Forbidden`, `Unauthorized`,
    /// `BadRequest`, `Expired`, `Gone`, `RequestEntityTooLarge`, `MethodNotAllowed`,
    /// `UnsupportedMediaType`, `Timeout`, `InternalError`, `ServiceUnavailable`.
    public var reason: String
    public var message: String
    public var name: String?
    public var group: String?
    public var kind: String?
    public var causes: [Cause]

    public init(
        code: Int, reason: String, message: String, name: String? = nil, group: String? = nil, kind: String? = nil, causes: [Cause] = []
    ) {
        self.code = code
        self.reason = reason
        self.message = message
        self.name = name
        self.group = group
        self.kind = kind
        self.causes = causes
    }

    public var description: String { "\(code) \(reason): \(message)" }

    /// The `Status` object.
    public var status: JSONValue {
        var details: [String: JSONValue] = [:]
        if let name { details["name"] = .string(name) }
        if let group { details["group"] = .string(group) }
        if let kind { details["kind"] = .string(kind) }
        if !causes.isEmpty {
            details["causes"] = .array(
                causes.map { .object(["reason": .string($0.reason), "message": .string($0.message), "field": .string($0.field)]) })
        }
        var object: [String: JSONValue] = [
            "kind": "Status", "apiVersion": "v1", "metadata": .object([:]), "status": "Failure",
            "message": .string(message), "reason": .string(reason), "code": .integer(Int64(code)),
        ]
        if !details.isEmpty { object["details"] = .object(details) }
        return .object(object)
    }

    // MARK: the API server's errors

    /// 404: `pods "web" not found`.
    public static func notFound(_ resource: APIResource, _ name: String) -> APIError {
        APIError(
            code: 404, reason: "NotFound", message: "\(resource.qualifiedPlural) \"\(name)\" not found", name: name,
            group: resource.group, kind: resource.plural)
    }

    /// 409: `pods "web" already exists`.
    public static func alreadyExists(_ resource: APIResource, _ name: String) -> APIError {
        APIError(
            code: 409, reason: "AlreadyExists", message: "\(resource.qualifiedPlural) \"\(name)\" already exists", name: name,
            group: resource.group, kind: resource.plural)
    }

    /// 409: a write based on an old resourceVersion.
    public static func conflict(_ resource: APIResource, _ name: String, _ detail: String? = nil) -> APIError {
        let tail = detail ?? "the object has been modified; please apply your changes to the latest version and try again"
        return APIError(
            code: 409, reason: "Conflict", message: "Operation cannot be fulfilled on \(resource.qualifiedPlural) \"\(name)\": \(tail)",
            name: name, group: resource.group, kind: resource.plural)
    }

    /// 422: `Pod "web" is invalid: <causes joined>` (the kind, not the plural, as the API server).
    public static func invalid(_ resource: APIResource, _ name: String, _ causes: [Cause]) -> APIError {
        let list = causes.map { $0.field.isEmpty ? $0.message : "\($0.field): \($0.message)" }
        let joined = list.count == 1 ? list[0] : "[" + list.joined(separator: ", ") + "]"
        return APIError(
            code: 422, reason: "Invalid", message: "\(resource.kind) \"\(name)\" is invalid: \(joined)", name: name,
            group: resource.group, kind: resource.kind, causes: causes)
    }

    /// 403: `pods "web" is forbidden: User "system:node:n2" cannot patch resource "pods/status" in API group "" in the namespace "default"`.
    public static func forbidden(
        _ resource: APIResource, name: String?, user: String, verb: String, subresource: String?, namespace: String?, reason: String? = nil
    ) -> APIError {
        let what = subresource.map { "\(resource.plural)/\($0)" } ?? resource.plural
        var message =
            name.map { "\(resource.qualifiedPlural) \"\($0)\" is forbidden: " } ?? "\(resource.qualifiedPlural) is forbidden: "
        message += "User \"\(user)\" cannot \(verb) resource \"\(what)\" in API group \"\(resource.group)\""
        if let namespace { message += " in the namespace \"\(namespace)\"" } else { message += " at the cluster scope" }
        if let reason { message += ": \(reason)" }
        return APIError(code: 403, reason: "Forbidden", message: message, name: name, group: resource.group, kind: resource.plural)
    }

    /// 401.
    public static let unauthorized = APIError(code: 401, reason: "Unauthorized", message: "Unauthorized")

    /// 400 with the given message.
    public static func badRequest(_ message: String) -> APIError { APIError(code: 400, reason: "BadRequest", message: message) }

    /// 410 `Expired`: a watch or list from a resourceVersion older than the store keeps.
    public static func expired(requested: Int64, oldest: Int64) -> APIError {
        APIError(code: 410, reason: "Expired", message: "too old resource version: \(requested) (\(oldest))")
    }

    /// 413.
    public static func tooLarge(limit: Int) -> APIError {
        APIError(code: 413, reason: "RequestEntityTooLarge", message: "Request entity too large: limit is \(limit)")
    }

    /// 415 for a PATCH with an unknown content type.
    public static func unsupportedMediaType(_ contentType: String) -> APIError {
        APIError(
            code: 415, reason: "UnsupportedMediaType",
            message:
                "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json; got \(contentType)"
        )
    }

    /// 405.
    public static func methodNotAllowed(_ method: String) -> APIError {
        APIError(code: 405, reason: "MethodNotAllowed", message: "the server does not allow this method on the requested resource")
    }

    /// 404 for a path the server does not serve.
    public static func pathNotFound(_ path: String) -> APIError {
        APIError(code: 404, reason: "NotFound", message: "the server could not find the requested resource")
    }

    /// 504: a resourceVersion newer than the store's.
    public static func tooLargeResourceVersion(requested: Int64, current: Int64) -> APIError {
        APIError(code: 504, reason: "Timeout", message: "Too large resource version: \(requested), current: \(current)")
    }

    /// 503: the store did not answer.
    public static func unavailable(_ message: String) -> APIError {
        APIError(code: 503, reason: "ServiceUnavailable", message: message)
    }

    /// 500.
    public static func internalError(_ message: String) -> APIError {
        APIError(code: 500, reason: "InternalError", message: "Internal error occurred: \(message)")
    }
}

import Foundation

/// A Kubernetes `meta/v1` `Status` object, the body of every error the status socket returns,
/// e.g. `{"apiVersion":"v1","code":404,"details":{"kind":"pods","name":"x"},"kind":"Status",
/// "message":"pods \"x\" not found","metadata":{},"reason":"NotFound","status":"Failure"}`.
public struct APIStatus: Codable, Hashable, Sendable {
    /// What the object names: `name` and the resource (`pods`).
    public struct Details: Codable, Hashable, Sendable {
        public var name: String?
        public var kind: String?
        public init(name: String? = nil, kind: String? = nil) {
            self.name = name
            self.kind = kind
        }
    }

    /// Always `{}`; present because the API server writes it.
    public struct Metadata: Codable, Hashable, Sendable {
        public init() {}
    }

    public var kind: String = "Status"
    public var apiVersion: String = "v1"
    public var metadata: Metadata = Metadata()
    /// `Failure` for every error.
    public var status: String
    public var message: String
    /// A machine-readable reason: `NotFound`, `MethodNotAllowed`, `BadRequest`, `InternalError`...
    public var reason: String
    public var details: Details?
    /// The HTTP status code, repeated in the body.
    public var code: Int

    public init(status: String = "Failure", message: String, reason: String, details: Details? = nil, code: Int) {
        self.status = status
        self.message = message
        self.reason = reason
        self.details = details
        self.code = code
    }

    /// `pods "<name>" not found`, 404, as the API server words it.
    public static func podNotFound(_ name: String) -> APIStatus {
        APIStatus(
            message: "pods \"\(name)\" not found", reason: "NotFound",
            details: Details(name: name, kind: "pods"), code: 404)
    }

    /// The Status object for an HTTP error code with no more specific wording.
    /// - Parameters:
    ///   - code: an HTTP status code (404, 405, 400, 500, ...).
    ///   - message: the human-readable message.
    public static func forHTTPCode(_ code: Int, message: String) -> APIStatus {
        APIStatus(message: message, reason: reason(forHTTPCode: code), code: code)
    }

    /// The `StatusReason` the API server uses for an HTTP code (`NotFound` for 404, ...).
    public static func reason(forHTTPCode code: Int) -> String {
        switch code {
        case 400: return "BadRequest"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "NotFound"
        case 405: return "MethodNotAllowed"
        case 406: return "NotAcceptable"
        case 409: return "Conflict"
        case 413: return "RequestEntityTooLarge"
        case 415: return "UnsupportedMediaType"
        case 422: return "Invalid"
        case 429: return "TooManyRequests"
        case 503: return "ServiceUnavailable"
        case 504: return "Timeout"
        default: return code >= 500 ? "InternalError" : "Unknown"
        }
    }
}

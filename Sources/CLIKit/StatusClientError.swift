/// A Kubernetes `meta/v1` `Status` object as the status socket returns it with an error.
public struct ServerStatus: Codable, Hashable, Sendable {
    public var kind: String?
    public var apiVersion: String?
    /// `Failure` for errors.
    public var status: String?
    public var message: String?
    /// `NotFound`, `MethodNotAllowed`, `InternalError`...
    public var reason: String?
    public var code: Int?

    public init(status: String? = "Failure", message: String?, reason: String?, code: Int?) {
        self.kind = "Status"
        self.apiVersion = "v1"
        self.status = status
        self.message = message
        self.reason = reason
        self.code = code
    }
}

/// Why a ``StatusClient`` call failed; `description` is what `inplacectl` prints.
public enum StatusClientError: Error, Equatable, CustomStringConvertible {
    /// No connection: the socket is missing, refuses, or the request did not complete.
    case unreachable(socketPath: String, reason: String)
    /// The server answered with a Kubernetes `Status` error (a 404 for an unknown pod, ...).
    case server(ServerStatus)
    /// The server answered with something that is neither the expected object nor a `Status`.
    case unexpectedResponse(code: Int, body: String)

    public var description: String {
        switch self {
        case .unreachable(let path, let reason):
            return "cannot reach inplaced at \(path): \(reason) (is inplaced running?)"
        case .server(let status):
            // kubectl: "Error from server (NotFound): pods \"x\" not found"
            return "Error from server (\(status.reason ?? "Unknown")): \(status.message ?? "")"
        case .unexpectedResponse(let code, let body):
            let shown = body.count > 200 ? String(body.prefix(200)) + "..." : body
            return "unexpected response from inplaced (HTTP \(code)): \(shown)"
        }
    }
}

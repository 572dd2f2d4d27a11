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

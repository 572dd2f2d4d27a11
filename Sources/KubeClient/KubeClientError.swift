/// A failed API call: the server's `Status` answer (code, reason, message), or no usable answer.
public enum KubeClientError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The server answered `code` with a `Status` of `reason` (`Conflict`, `NotFound`, ...).
    case status(code: Int, reason: String, message: String)
    /// No answer (connection refused, timeout) or one that is not JSON; `call` names the request.
    case transport(call: String, reason: String)

    public var code: Int? {
        if case .status(let code, _, _) = self { return code }
        return nil
    }

    /// 409 `Conflict`: the object changed since it was read (its resourceVersion is stale).
    public var isConflict: Bool { code == 409 && reason != "AlreadyExists" }
    /// 409 `AlreadyExists`: a create found the name taken.
    public var isAlreadyExists: Bool { code == 409 && reason == "AlreadyExists" }
    public var isNotFound: Bool { code == 404 }

    var reason: String? {
        if case .status(_, let reason, _) = self { return reason }
        return nil
    }

    public var description: String {
        switch self {
        case .status(let code, let reason, let message): "\(reason) (\(code)): \(message)"
        case .transport(let call, let reason): "\(call): \(reason)"
        }
    }
}

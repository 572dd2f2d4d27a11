/// Why a runtime call failed. Each case names the CRI call (`"CreateContainer"`, ...).
public enum RuntimeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The object (`sandbox`, `container`, `image`) does not exist.
    case notFound(call: String, kind: String, id: String)
    /// The runtime cannot be reached (socket missing, connection refused, deadline exceeded).
    case unavailable(call: String, detail: String)
    /// The runtime refused the call; `detail` is its message.
    case failed(call: String, detail: String)

    public var description: String {
        switch self {
        case .notFound(let call, let kind, let id): return "\(call): \(kind) \"\(id)\" not found"
        case .unavailable(let call, let detail): return "\(call): runtime unavailable: \(detail)"
        case .failed(let call, let detail): return "\(call): \(detail)"
        }
    }

    public var isNotFound: Bool { if case .notFound = self { return true } else { return false } }
}

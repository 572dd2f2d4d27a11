import Foundation

/// Why an endpoint string was refused (see ``CRIEndpoint/init(parsing:)``).
public enum CRIEndpointError: Error, Sendable, Hashable, CustomStringConvertible {
    case empty
    /// A scheme other than `unix`, e.g. `tcp` or `npipe`.
    case unsupportedScheme(endpoint: String, scheme: String)
    /// `unix://relative/path`: the path after `unix://` must start with `/`.
    case relativePath(endpoint: String)
    /// The path does not fit in a unix socket address.
    case pathTooLong(path: String, bytes: Int)

    public var description: String {
        switch self {
        case .empty:
            return "CRI endpoint is empty: give unix:///path/to/runtime.sock"
        case .unsupportedScheme(let endpoint, let scheme):
            return
                "CRI endpoint \"\(endpoint)\": scheme \"\(scheme)\" is not supported; only unix sockets are (unix:///path/to/runtime.sock)"
        case .relativePath(let endpoint):
            return "CRI endpoint \"\(endpoint)\": the socket path must be absolute (unix:///path/to/runtime.sock)"
        case .pathTooLong(let path, let bytes):
            return
                "CRI endpoint socket path \"\(path)\" is \(bytes) bytes; a unix socket path holds at most \(CRIEndpoint.maxSocketPathBytes)"
        }
    }
}

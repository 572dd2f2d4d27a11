import Foundation

/// Every error the Reporter module throws or records as a delivery failure.
public enum ReporterError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The controller URL `url` cannot be used (`detail` says why: not http/https, no host, ...).
    case invalidURL(url: String, detail: String)
    /// The bearer token file at `path` is missing, unreadable or empty.
    case tokenFile(path: String, detail: String)
    /// The CA file at `path` (used to verify an https controller) is missing, unreadable or holds
    /// no PEM certificate.
    case caFile(path: String, detail: String)
    /// A configuration value is out of range (`detail` names the setting).
    case invalidConfiguration(detail: String)

    public var description: String {
        switch self {
        case .invalidURL(let url, let detail):
            return "controller URL \(url): \(detail)"
        case .tokenFile(let path, let detail):
            return "controller token file \(path): \(detail)"
        case .caFile(let path, let detail):
            return "controller CA file \(path): \(detail)"
        case .invalidConfiguration(let detail):
            return "reporter configuration: \(detail)"
        }
    }
}

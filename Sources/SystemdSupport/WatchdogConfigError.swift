import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A watchdog variable systemd would never set.
public enum WatchdogConfigError: Error, Equatable, CustomStringConvertible {
    /// `variable` holds `value`, which is not a positive integer.
    case invalidValue(variable: String, value: String)

    public var description: String {
        switch self {
        case .invalidValue(let variable, let value): "\(variable)=\"\(value)\": must be a positive integer"
        }
    }
}

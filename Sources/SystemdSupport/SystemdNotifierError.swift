#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Why a message to systemd's notification socket could not be sent.
public enum SystemdNotifierError: Error, Equatable, CustomStringConvertible {
    /// `$NOTIFY_SOCKET` is not an address this notifier can use; `reason` says why.
    case invalidSocketAddress(String, reason: String)
    /// `socket(2)` failed with `errno`.
    case socketFailed(errno: Int32)
    /// `sendto(2)` to `address` failed with `errno` (`ENOENT`/`ECONNREFUSED`: nothing listens there;
    /// `EAGAIN`: the receiver's queue is full).
    case sendFailed(address: String, errno: Int32)
    /// The platform has no `AF_UNIX` datagram notification (not Linux).
    case unsupportedPlatform

    public var description: String {
        switch self {
        case .invalidSocketAddress(let a, let reason): "invalid NOTIFY_SOCKET \"\(a)\": \(reason)"
        case .socketFailed(let e): "socket(AF_UNIX, SOCK_DGRAM) failed: \(Self.message(e)) (errno \(e))"
        case .sendFailed(let a, let e): "sd_notify to \(a) failed: \(Self.message(e)) (errno \(e))"
        case .unsupportedPlatform: "sd_notify is only supported on Linux"
        }
    }

    private static func message(_ code: Int32) -> String {
        guard let s = strerror(code) else { return "unknown error" }
        return String(cString: s)
    }
}

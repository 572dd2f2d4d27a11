#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Where `$NOTIFY_SOCKET` points: a file-system `AF_UNIX` path (`/run/systemd/notify`) or a name in
/// Linux's abstract socket namespace (written `@name`, bound as `"\0name"`).
public enum NotifySocketAddress: Equatable, Sendable, CustomStringConvertible {
    /// An absolute path of a socket file.
    case path(String)
    /// A name in the abstract namespace, without the leading `@`.
    case abstract(String)

    /// The largest address `sockaddr_un.sun_path` holds, in bytes: 108 on Linux. A path needs one
    /// more byte for its terminating NUL; an abstract name needs one for its leading NUL.
    public static let maximumLength = 108

    /// Parses `$NOTIFY_SOCKET` as `sd_notify(3)` does.
    /// - Parameter value: `/absolute/path` or `@abstract-name`.
    /// - Throws: `SystemdNotifierError.invalidSocketAddress` for an empty value, a relative path,
    ///   another scheme (such as `vsock:`, which this notifier does not speak) or one longer than
    ///   `sun_path` holds (107 bytes for a path, 107 for an abstract name after the `@`).
    public init(parsing value: String) throws {
        let bytes = Array(value.utf8)
        guard let first = bytes.first, first == UInt8(ascii: "/") || first == UInt8(ascii: "@") else {
            throw SystemdNotifierError.invalidSocketAddress(value, reason: "must be an absolute path or start with @")
        }
        // Path: the bytes plus a NUL must fit. Abstract: a NUL plus the name (bytes minus the @) must fit.
        guard bytes.count < Self.maximumLength, !bytes.contains(0) else {
            throw SystemdNotifierError.invalidSocketAddress(value, reason: "longer than \(Self.maximumLength - 1) bytes or contains NUL")
        }
        if first == UInt8(ascii: "@") {
            guard bytes.count > 1 else { throw SystemdNotifierError.invalidSocketAddress(value, reason: "empty abstract name") }
            self = .abstract(String(value.dropFirst()))
        } else {
            self = .path(value)
        }
    }

    /// `$NOTIFY_SOCKET`'s spelling of this address.
    public var description: String {
        switch self {
        case .path(let p): p
        case .abstract(let name): "@" + name
        }
    }

    #if os(Linux)
        /// Calls `body` with this address as a `sockaddr_un` and its length (`socklen_t`, bytes): for a
        /// path the offset of `sun_path` + the path + its NUL; for an abstract name the offset + the
        /// leading NUL + the name, with no terminator (the kernel takes the length literally).
        func withSockaddr<R>(_ body: (UnsafePointer<sockaddr>, socklen_t) throws -> R) rethrows -> R {
            var addr = sockaddr_un()
            addr.sun_family = sa_family_t(AF_UNIX)
            let pathBytes: [UInt8]
            switch self {
            case .path(let p): pathBytes = Array(p.utf8) + [0]
            case .abstract(let name): pathBytes = [0] + Array(name.utf8)
            }
            withUnsafeMutableBytes(of: &addr.sun_path) { raw in raw.copyBytes(from: pathBytes) }
            let length = socklen_t(MemoryLayout<sockaddr_un>.offset(of: \sockaddr_un.sun_path)! + pathBytes.count)
            return try withUnsafePointer(to: &addr) { ptr in
                try ptr.withMemoryRebound(to: sockaddr.self, capacity: 1) { try body($0, length) }
            }
        }
    #endif
}

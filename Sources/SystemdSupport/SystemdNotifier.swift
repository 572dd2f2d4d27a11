import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Tells systemd about the service's state (`sd_notify(3)`) by sending one datagram per call to the
/// `AF_UNIX`/`SOCK_DGRAM` socket named by `$NOTIFY_SOCKET`, with plain socket calls (no libsystemd).
///
/// When `$NOTIFY_SOCKET` is unset or empty (not started by systemd, or not `Type=notify`), every call
/// is a no-op that returns `false`. A datagram is `KEY=VALUE` lines joined by `\n`, as systemd parses
/// them. Each call opens and closes its own socket, so a notifier is a cheap, `Sendable` value.
/// Sends never block (`MSG_DONTWAIT`), so calling from an async task is safe: when systemd's queue is
/// full the call throws `sendFailed` with `EAGAIN` instead of stalling a thread of the pool.
public struct SystemdNotifier: Sendable {
    /// The socket messages go to; `nil` when `$NOTIFY_SOCKET` is unset or empty.
    public let address: NotifySocketAddress?

    /// Reads `$NOTIFY_SOCKET` from `environment`.
    /// - Parameter environment: the process environment by default; tests pass their own.
    /// - Throws: `SystemdNotifierError.invalidSocketAddress` when `$NOTIFY_SOCKET` is set but is
    ///   neither an absolute path nor `@name`, or does not fit in `sun_path`.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        if let value = environment["NOTIFY_SOCKET"], !value.isEmpty {
            address = try NotifySocketAddress(parsing: value)
        } else {
            address = nil
        }
    }

    /// A notifier that sends to `address` (`nil`: a no-op notifier).
    public init(address: NotifySocketAddress?) {
        self.address = address
    }

    /// Whether messages are sent (`$NOTIFY_SOCKET` was set).
    public var isEnabled: Bool { address != nil }

    /// `READY=1` and `MAINPID=<getpid()>`: start-up is finished; systemd moves the unit to `active`
    /// and starts enforcing `WatchdogSec`.
    /// - Returns: `true` when sent, `false` when the notifier is a no-op.
    /// - Throws: `SystemdNotifierError` when the datagram cannot be sent.
    @discardableResult
    public func ready() throws -> Bool {
        try send("READY=1\nMAINPID=\(getpid())")
    }

    /// `STOPPING=1`: the service is shutting down; systemd shows `deactivating`.
    /// - Returns: `true` when sent, `false` when the notifier is a no-op.
    /// - Throws: `SystemdNotifierError` when the datagram cannot be sent.
    @discardableResult
    public func stopping() throws -> Bool {
        try send("STOPPING=1")
    }

    /// `WATCHDOG=1`: the keep-alive ping; systemd restarts the service (per `Restart=`) when none
    /// arrives for `WatchdogSec`.
    /// - Returns: `true` when sent, `false` when the notifier is a no-op.
    /// - Throws: `SystemdNotifierError` when the datagram cannot be sent.
    @discardableResult
    public func watchdog() throws -> Bool {
        try send("WATCHDOG=1")
    }

    /// `STATUS=<text>`: a one-line status shown by `systemctl status`. Line breaks in `text` become
    /// spaces (a newline would end the assignment).
    /// - Returns: `true` when sent, `false` when the notifier is a no-op.
    /// - Throws: `SystemdNotifierError` when the datagram cannot be sent.
    @discardableResult
    public func status(_ text: String) throws -> Bool {
        let oneLine = text.replacingOccurrences(of: "\r\n", with: " ").replacingOccurrences(of: "\n", with: " ")
            .replacingOccurrences(of: "\r", with: " ")
        return try send("STATUS=\(oneLine)")
    }

    /// `RELOADING=1` and `MONOTONIC_USEC=<CLOCK_MONOTONIC in µs>`: the service is reloading its
    /// configuration (send `ready()` when done). `MONOTONIC_USEC` is what `Type=notify-reload` requires.
    /// - Returns: `true` when sent, `false` when the notifier is a no-op.
    /// - Throws: `SystemdNotifierError` when the datagram cannot be sent.
    @discardableResult
    public func reloading() throws -> Bool {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        let usec = UInt64(ts.tv_sec) * 1_000_000 + UInt64(ts.tv_nsec) / 1_000
        return try send("RELOADING=1\nMONOTONIC_USEC=\(usec)")
    }

    /// Sends `state` (newline-separated `KEY=VALUE` assignments) as one datagram.
    /// - Returns: `true` when sent, `false` when the notifier is a no-op.
    /// - Throws: `SystemdNotifierError.socketFailed` or `.sendFailed` with the `errno`.
    @discardableResult
    public func send(_ state: String) throws -> Bool {
        guard let address else { return false }
        #if os(Linux)
            let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else { throw SystemdNotifierError.socketFailed(errno: errno) }
            defer { close(fd) }
            let payload = Array(state.utf8)
            let result: Int = address.withSockaddr { addr, length in
                payload.withUnsafeBytes { bytes in
                    var sent: Int
                    repeat {
                        sent = sendto(fd, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL) | Int32(MSG_DONTWAIT), addr, length)
                    } while sent < 0 && errno == EINTR
                    return sent
                }
            }
            // A datagram is sent whole or not at all.
            guard result == payload.count else {
                throw SystemdNotifierError.sendFailed(address: address.description, errno: result < 0 ? errno : EMSGSIZE)
            }
            return true
        #else
            throw SystemdNotifierError.unsupportedPlatform
        #endif
    }
}

import Foundation
import SystemdSupport
#if canImport(Glibc)
import Glibc
#endif

/// A test stand-in for systemd's notification socket: an `AF_UNIX`/`SOCK_DGRAM` socket bound to a
/// fresh temp path or a fresh abstract name, read with `poll(2)`.
final class DatagramReceiver: @unchecked Sendable {
    let fd: Int32
    /// What `$NOTIFY_SOCKET` should hold to reach this socket.
    let notifySocket: String
    private let directory: String?

    /// Binds a socket to `<temp dir>/notify.sock`, or to `@inplaced-test-<uuid>` when `abstract`.
    init(abstract: Bool = false) throws {
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        if abstract {
            directory = nil
            notifySocket = "@inplaced-test-\(UUID().uuidString)"
        } else {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sdnotify-\(UUID().uuidString.prefix(8))").path
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            directory = dir
            notifySocket = dir + "/notify.sock"
        }
        let address = try NotifySocketAddress(parsing: notifySocket)
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let bytes: [UInt8]
        switch address {
        case .path(let p): bytes = Array(p.utf8) + [0]
        case .abstract(let n): bytes = [0] + Array(n.utf8)
        }
        withUnsafeMutableBytes(of: &addr.sun_path) { $0.copyBytes(from: bytes) }
        let length = socklen_t(MemoryLayout<sockaddr_un>.offset(of: \sockaddr_un.sun_path)! + bytes.count)
        let rc = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        guard rc == 0 else {
            let e = errno
            close(fd)
            throw POSIXError(.init(rawValue: e) ?? .EIO)
        }
    }

    deinit {
        close(fd)
        if let directory { try? FileManager.default.removeItem(atPath: directory) }
    }

    /// The next datagram, or `nil` when none arrives within `timeoutMilliseconds` (a guard against a
    /// hung test, not an assertion on timing).
    func receive(timeoutMilliseconds: Int32 = 5_000) -> String? {
        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        var ready: Int32
        repeat { ready = poll(&pfd, 1, timeoutMilliseconds) } while ready < 0 && errno == EINTR
        guard ready > 0 else { return nil }
        return readOne()
    }

    /// Every datagram already queued, without waiting.
    func drain() -> [String] {
        var out: [String] = []
        while let d = receive(timeoutMilliseconds: 0) { out.append(d) }
        return out
    }

    private func readOne() -> String? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
        guard n >= 0 else { return nil }
        return String(decoding: buffer[0..<n], as: UTF8.self)
    }
}

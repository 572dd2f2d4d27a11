import Foundation
import SystemdSupport

#if canImport(Glibc)
    import Glibc
#endif

/// A test stand-in for systemd's notification socket: an `AF_UNIX`/`SOCK_DGRAM` socket bound to a
/// fresh temp path or a fresh abstract name, read without blocking.
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

    /// The datagram already queued, if any, without waiting. A unix datagram is in the receiver's
    /// queue when `sendto(2)` returns, so this is all a synchronous test needs.
    func next() -> String? {
        readOne()
    }

    /// The next datagram, waiting for it without blocking a thread of the (small) cooperative pool;
    /// `nil` when none arrives within `timeout` (a guard against a hung test, not an assertion on
    /// timing).
    func receive(timeout: Duration = .seconds(10)) async -> String? {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while true {
            if let datagram = readOne() { return datagram }
            if clock.now >= deadline { return nil }
            try? await Task.sleep(for: .milliseconds(2))
        }
    }

    /// Every datagram already queued, without waiting.
    func drain() -> [String] {
        var out: [String] = []
        while let d = readOne() { out.append(d) }
        return out
    }

    private func readOne() -> String? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
        guard n >= 0 else { return nil }
        return String(decoding: buffer[0..<n], as: UTF8.self)
    }
}

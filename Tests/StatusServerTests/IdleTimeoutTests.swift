import Foundation
import Testing

@testable import StatusServer

#if canImport(Glibc)
    import Glibc
#endif

/// Idle or half-sent connections are closed, so they cannot pile up on the daemon.
struct IdleTimeoutTests {
    @Test func aSilentConnectionIsClosedByTheServer() async throws {
        let dir = try ServerHarness.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/s.sock"
        let task = try await ServerHarness.start(CommandsTests.provider(), path: path, idleTimeoutSeconds: 0.2)
        defer { task.cancel() }
        let fd = try RawHTTP.connected(to: path)
        defer { close(fd) }
        // Half a request, then silence: the server must close the connection (read returns 0).
        _ = "GET /healthz HTTP/1.1\r\n".withCString { send(fd, $0, strlen($0), 0) }
        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        var buf = [UInt8](repeating: 0, count: 4096)
        var closed = false
        for _ in 0..<100 where !closed {
            if poll(&pfd, 1, 100) > 0 {
                let n = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if n == 0 { closed = true }
            }
        }
        #expect(closed)
    }
}

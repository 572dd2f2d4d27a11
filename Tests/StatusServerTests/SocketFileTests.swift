import CLIKit
import Foundation
import PodFixtures
import StatusServer
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The socket file's life: mode, group, stale file, live server, foreign file, cleanup.
@Suite("Status socket file")
struct SocketFileTests {
    @Test("the socket is created in a new directory with mode 0660, and removed at shutdown")
    func modeAndCleanup() async throws {
        let dir = try ServerHarness.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/run/inplaced/s.sock"
        let task = try await ServerHarness.start(FakeProvider(), path: path)
        let info = try #require(RawHTTP.fileInfo(path))
        #expect(info.isSocket)
        #expect(info.mode == 0o660)
        #expect(try await StatusClient(socketPath: path).health().status == "ok")
        task.cancel()
        try await task.value
        #expect(RawHTTP.fileInfo(path) == nil, "the socket file is removed on shutdown")
    }

    @Test("socketGroup sets the socket's group")
    func group() async throws {
        // As root any group will do; otherwise only our own group may be given.
        let name = getuid() == 0 ? "daemon" : String(cString: getgrgid(getgid()).pointee.gr_name)
        let gid = try #require(RawHTTP.groupID(name))
        let dir = try ServerHarness.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/s.sock"
        let task = try await ServerHarness.start(FakeProvider(), path: path, group: name)
        defer { task.cancel() }
        let info = try #require(RawHTTP.fileInfo(path))
        #expect(info.gid == gid)
        #expect(info.mode == 0o660)
    }

    @Test("an unknown group is refused before anything is created")
    func unknownGroup() async throws {
        let dir = try ServerHarness.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/s.sock"
        let error = await #expect(throws: StatusServerError.self) {
            _ = try await ServerHarness.start(FakeProvider(), path: path, group: "no-such-group-xyz")
        }
        #expect(error?.description == #"socket group "no-such-group-xyz" does not exist"#)
        #expect(RawHTTP.fileInfo(path) == nil)
    }

    @Test("a stale socket left by a crash is replaced")
    func staleSocketReplaced() async throws {
        let dir = try ServerHarness.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/s.sock"
        try RawHTTP.bindSocket(at: path, listening: false)
        #expect(RawHTTP.fileInfo(path)?.isSocket == true)
        // Nobody accepts on it: the client says so.
        let refused = await #expect(throws: StatusClientError.self) {
            try await StatusClient(socketPath: path).pods()
        }
        #expect(refused?.description == "cannot reach inplaced at \(path): connection refused (is inplaced running?)")

        let task = try await ServerHarness.start(FakeProvider(pods: [Fixtures.pod("web", statuses: [Fixtures.running("app")])]), path: path)
        defer { task.cancel() }
        #expect(try await StatusClient(socketPath: path).pods().items.count == 1)
        #expect(RawHTTP.fileInfo(path)?.mode == 0o660)
    }

    @Test("a socket a live process serves is refused and left alone")
    func liveSocketRefused() async throws {
        let dir = try ServerHarness.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/s.sock"
        let first = try await ServerHarness.start(FakeProvider(), path: path)
        defer { first.cancel() }

        let error = await #expect(throws: StatusServerError.self) {
            _ = try await ServerHarness.start(FakeProvider(), path: path)
        }
        #expect(error == .alreadyServing(path: path))
        #expect(error?.description == "another inplaced is already serving \(path)")
        // The first server still serves on its file.
        #expect(try await StatusClient(socketPath: path).health().status == "ok")
    }

    @Test("a live listener of another kind is refused too")
    func foreignListenerRefused() async throws {
        let dir = try ServerHarness.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/s.sock"
        let fd = try RawHTTP.bindSocket(at: path, listening: true)
        defer { close(fd) }
        await #expect(throws: StatusServerError.alreadyServing(path: path)) {
            _ = try await ServerHarness.start(FakeProvider(), path: path)
        }
        #expect(RawHTTP.fileInfo(path)?.isSocket == true)
    }

    @Test("a regular file at the socket path is refused and never deleted")
    func nonSocketRefused() async throws {
        let dir = try ServerHarness.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/s.sock"
        try "precious".write(toFile: path, atomically: false, encoding: .utf8)
        let error = await #expect(throws: StatusServerError.self) {
            _ = try await ServerHarness.start(FakeProvider(), path: path)
        }
        #expect(error == .notASocket(path: path))
        #expect(error?.description.hasPrefix("\(path) exists and is not a unix socket") == true)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "precious")

        // A directory is not a socket either.
        let sub = dir + "/d.sock"
        try FileManager.default.createDirectory(atPath: sub, withIntermediateDirectories: false)
        await #expect(throws: StatusServerError.notASocket(path: sub)) {
            _ = try await ServerHarness.start(FakeProvider(), path: sub)
        }
        var isDir: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: sub, isDirectory: &isDir) && isDir.boolValue)
    }

    @Test("a path too long for a unix socket is refused with its length")
    func pathTooLong() async throws {
        let path = "/tmp/" + String(repeating: "x", count: 120) + ".sock"
        let error = await #expect(throws: StatusServerError.self) {
            _ = try await ServerHarness.start(FakeProvider(), path: path)
        }
        #expect(error?.description.contains("a unix socket path may have at most 107") == true)
    }

    @Test("the client names a missing socket clearly")
    func missingSocket() async throws {
        let path = "/tmp/ipd-missing-\(UUID().uuidString.prefix(6)).sock"
        let error = await #expect(throws: StatusClientError.self) {
            try await StatusClient(socketPath: path).pod(namespace: "default", name: "web")
        }
        #expect(error?.description == "cannot reach inplaced at \(path): no such file or directory (is inplaced running?)")
    }

    @Test("a method other than GET is answered with a Status object")
    func otherMethod() async throws {
        try await ServerHarness.withServer(FakeProvider()) { path, _ in
            let response = try RawHTTP.exchange("POST", "/v1/pods", socket: path)
            #expect(response.hasPrefix("HTTP/1.1 404") || response.hasPrefix("HTTP/1.1 405"))
            #expect(response.contains(#""kind":"Status""#))
        }
    }
}

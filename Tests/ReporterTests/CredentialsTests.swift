import Foundation
import StateStore
import Testing

@testable import Reporter

@Suite("Bearer token and CA file")
struct CredentialsTests {
    @Test("the token file is re-read when it changes")
    func tokenReread() async throws {
        let controller = try await TestController.start()
        let store = try TestStore()
        let token = store.dir.path("token")
        try "token-aaaa".write(toFile: token, atomically: false, encoding: .utf8)
        let reporter = StatusReporter(
            store: store.store,
            configuration: try fastConfiguration(url: controller.url, tokenFile: token),
            logger: quietLogger)
        try await whileRunning(reporter) {
            try store.enqueue("a", marker: "1")
            reporter.notify()
            try await eventually("a") { try store.depth() == 0 }

            // Rewritten in place, same length: the inode and size stay, the modification time moves.
            let before = try FileFingerprint.of(token)
            repeat {
                try "token-bbbb".write(toFile: token, atomically: false, encoding: .utf8)
            } while try FileFingerprint.of(token) == before
            try store.enqueue("b", marker: "1")
            reporter.notify()
            try await eventually("b") { try store.depth() == 0 }

            // Replaced by a rename (as a Kubernetes projected token is).
            try "token-cc\n".write(toFile: token, atomically: true, encoding: .utf8)
            try store.enqueue("c", marker: "1")
            reporter.notify()
            try await eventually("c") { try store.depth() == 0 }
        }
        #expect(controller.requests.map(\.authorization) == ["Bearer token-aaaa", "Bearer token-bbbb", "Bearer token-cc"])
        await controller.stop()
    }

    @Test("a missing token file is a delivery failure naming it; delivery resumes when it appears")
    func missingTokenFile() async throws {
        let controller = try await TestController.start()
        let store = try TestStore()
        let token = store.dir.path("missing-token")
        try store.enqueue("web", marker: "1")
        let reporter = StatusReporter(
            store: store.store,
            configuration: try fastConfiguration(url: controller.url, tokenFile: token),
            logger: quietLogger)
        try await whileRunning(reporter) {
            reporter.notify()
            try await eventually("a credentials failure") { reporter.state.failed >= 2 }
            let expected = "controller token file \(token): no such file"
            #expect(reporter.state.lastError == expected)
            #expect(try store.entry("web")?.lastError == expected)
            #expect(reporter.state.failuresByKind.keys.sorted(by: { $0.rawValue < $1.rawValue }) == [.credentials])
            #expect(controller.requestCount == 0)

            try "late-token".write(toFile: token, atomically: true, encoding: .utf8)
            try await eventually("delivery") { try store.depth() == 0 }
        }
        #expect(controller.requests.map(\.authorization) == ["Bearer late-token"])
    }

    @Test("an empty token file is an error naming it")
    func emptyTokenFile() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let path = dir.path("token")
        try " \n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: ReporterError.tokenFile(path: path, detail: "empty")) { try TokenFile(path: path).read() }
    }

    @Test("https with a missing CA file: a delivery failure naming the file, nothing sent")
    func missingCAFile() async throws {
        let store = try TestStore()
        let ca = store.dir.path("no-such-ca.pem")
        try store.enqueue("web", marker: "1")
        let reporter = StatusReporter(
            store: store.store,
            configuration: try fastConfiguration(url: "https://127.0.0.1:9", caFile: ca),
            logger: quietLogger)
        try await whileRunning(reporter) {
            reporter.notify()
            try await eventually("a credentials failure") { reporter.state.failed >= 1 }
        }
        #expect(reporter.state.lastError == "controller CA file \(ca): no such file")
        #expect(try store.entry("web")?.lastError == "controller CA file \(ca): no such file")
        #expect(reporter.state.failuresByKind[.credentials] == reporter.state.failed)
    }

    @Test("a CA file without a certificate is an error naming it")
    func garbageCAFile() throws {
        let dir = try TempDir()
        defer { dir.remove() }
        let path = dir.path("ca.pem")
        try "not a certificate".write(toFile: path, atomically: true, encoding: .utf8)
        #expect {
            try CAFile(path: path).check()
        } throws: { error in
            guard case .caFile(let reported, _) = error as? ReporterError else { return false }
            return reported == path
        }
    }

    @Test("https round trip verified against the CA file", .enabled(if: TLSFixture.opensslPath != nil))
    func tlsRoundTrip() async throws {
        let store = try TestStore()
        let fixture = try TLSFixture.make(in: store.dir)
        let controller = try await TestController.start(tls: try fixture.serverConfiguration())
        #expect(controller.url.hasPrefix("https://127.0.0.1:"))
        try store.enqueue("web", marker: "secure")
        let reporter = StatusReporter(
            store: store.store,
            configuration: try fastConfiguration(url: controller.url, caFile: fixture.certificatePath),
            logger: quietLogger)
        try await whileRunning(reporter) {
            reporter.notify()
            try await eventually("delivery over TLS") { try store.depth() == 0 }
        }
        #expect(controller.requests.map { marker(of: $0) } == ["secure"])
        await controller.stop()
    }

    @Test(
        "https with a CA that did not sign the server's certificate fails as a TLS error",
        .enabled(if: TLSFixture.opensslPath != nil))
    func tlsWrongCA() async throws {
        let store = try TestStore()
        let server = try TLSFixture.make(in: store.dir, name: "server")
        let other = try TLSFixture.make(in: store.dir, name: "other")
        let controller = try await TestController.start(tls: try server.serverConfiguration())
        try store.enqueue("web", marker: "secure")
        let reporter = StatusReporter(
            store: store.store,
            configuration: try fastConfiguration(url: controller.url, caFile: other.certificatePath),
            logger: quietLogger)
        try await whileRunning(reporter) {
            reporter.notify()
            try await eventually("a TLS failure") { reporter.state.failed >= 1 }
        }
        #expect(reporter.state.failuresByKind[.tls] == reporter.state.failed)
        #expect(controller.requestCount == 0)
        #expect(try store.depth() == 1)
        await controller.stop()
    }
}

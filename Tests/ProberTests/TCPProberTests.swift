import Foundation
import ProbeTestSupport
import Testing

@testable import Prober

/// tcpSocket probes: a listening port and a closed one.
@Suite struct TCPProberTests {
    @Test func listeningPortIsASuccess() async throws {
        let server = try await LoopbackServer.start()
        defer { Task { await server.stop() } }
        #expect(await TCPProber().probe(host: "127.0.0.1", port: server.port, timeoutSeconds: 1).isSuccess)
    }

    @Test func closedPortIsAFailureWithTheDialError() async throws {
        let port = try await closedPort()
        // The refusal comes at once; the timeout only has to outlast a loaded machine's stall.
        let outcome = await TCPProber().probe(host: "127.0.0.1", port: port, timeoutSeconds: 30)
        #expect(outcome == .failure(output: "dial tcp 127.0.0.1:\(port): connect: connection refused"))
    }
}

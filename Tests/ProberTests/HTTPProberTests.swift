import Foundation
import PodAPI
import ProbeTestSupport
import Testing

@testable import Prober

/// httpGet probes against a real loopback server: kubelet's status rule, headers, errors.
@Suite struct HTTPProberTests {
    let prober = HTTPProber(userAgent: "kube-probe/1.31")

    func get(_ server: LoopbackServer, _ path: String, headers: [(String, String)] = [], timeout: Int64 = 5) async -> ProbeOutcome {
        await prober.probe(scheme: "HTTP", host: "127.0.0.1", port: server.port, path: path, headers: headers, timeoutSeconds: timeout)
    }

    @Test func statusBelow400IsSuccessAndFromTheRestAFailure() async throws {
        let server = try await LoopbackServer.start()
        defer { Task { await server.stop() } }
        #expect(await get(server, "/healthz").isSuccess)
        #expect(await get(server, "/code/204").isSuccess)
        #expect(await get(server, "/code/399").isSuccess)
        #expect(await get(server, "/redirect").isSuccess)
        #expect(await get(server, "/code/400") == .failure(output: "HTTP probe failed with statuscode: 400"))
        #expect(await get(server, "/code/500") == .failure(output: "HTTP probe failed with statuscode: 500"))
        server.setStatus(503)
        #expect(await get(server, "/healthz") == .failure(output: "HTTP probe failed with statuscode: 503"))
        #expect(server.requests.contains { $0.path == "/healthz" })
    }

    @Test func sendsKubeProbeUserAgentAndTheProbesHeaders() async throws {
        let server = try await LoopbackServer.start()
        defer { Task { await server.stop() } }
        _ = await get(server, "/a", headers: [("X-Custom", "yes")])
        let first = try #require(server.requests.first { $0.path == "/a" })
        #expect(first.header("User-Agent") == "kube-probe/1.31")
        #expect(first.header("Accept") == "*/*")
        #expect(first.header("X-Custom") == "yes")
        _ = await get(server, "/b", headers: [("User-Agent", "mine"), ("Accept", "text/plain")])
        let second = try #require(server.requests.first { $0.path == "/b" })
        #expect(second.header("User-Agent") == "mine")
        #expect(second.header("Accept") == "text/plain")
    }

    @Test func refusedConnectionIsAFailureWithTheDialError() async throws {
        let port = try await closedPort()
        // The refusal comes at once; the timeout only has to outlast a loaded machine's stall (a
        // full test run on 2 cores once took more than 1 s to hand the refusal over).
        let outcome = await prober.probe(scheme: "HTTP", host: "127.0.0.1", port: port, path: "/", headers: [], timeoutSeconds: 30)
        #expect(outcome == .failure(output: "Get \"http://127.0.0.1:\(port)/\": dial tcp 127.0.0.1:\(port): connect: connection refused"))
    }

    @Test func answerSlowerThanTheTimeoutIsAFailure() async throws {
        let server = try await LoopbackServer.start()
        defer { Task { await server.stop() } }
        let outcome = await get(server, "/slow", timeout: 1)
        guard case .failure(let output) = outcome else {
            Issue.record("expected a failure, got \(outcome)")
            return
        }
        #expect(output.hasPrefix("Get \"http://127.0.0.1:\(server.port)/slow\": "))
        #expect(output.contains("deadline exceeded"))
    }

    @Test func urlIsFormattedAsKubeletFormatsIt() {
        #expect(HTTPProber.url(scheme: "HTTPS", host: "10.0.0.1", port: 8443, path: "healthz") == "https://10.0.0.1:8443/healthz")
        #expect(HTTPProber.url(scheme: "HTTP", host: "fd00::1", port: 80, path: "/x?y=1") == "http://[fd00::1]:80/x?y=1")
    }

    @Test func runnerResolvesNamedPortsAndDefaultsTheHostToThePodIP() async throws {
        let server = try await LoopbackServer.start()
        defer { Task { await server.stop() } }
        let container = Container(
            name: "app", image: "nginx",
            other: [
                "ports": .array([.object(["name": .string("http"), "containerPort": .integer(Int64(server.port))])])
            ])
        let runner = ProbeRunner(runtime: NoRuntime(), userAgent: "kube-probe/0.1")
        let target = ProbeTarget(containerID: "c1", container: container, podIP: "127.0.0.1")
        // A timeout that a loaded machine's loopback answers within.
        var byName = Probe(handler: .httpGet(.init(path: "/ready", port: .name("http"))))
        byName.timeoutSeconds = 5
        #expect(await runner.run(byName, target: target).isSuccess)
        #expect(server.requests.last?.path == "/ready")
        #expect(server.requests.last?.header("User-Agent") == "kube-probe/0.1")
        var numeric = Probe(handler: .httpGet(.init(path: "/", port: .name("\(server.port)"))))
        numeric.timeoutSeconds = 5
        #expect(await runner.run(numeric, target: target).isSuccess)
        let missing = Probe(handler: .httpGet(.init(path: "/", port: .name("metrics"))))
        #expect(await runner.run(missing, target: target) == .error(message: "strconv.Atoi: parsing \"metrics\": invalid syntax"))
        let zero = Probe(handler: .tcpSocket(host: nil, port: .number(0)))
        #expect(await runner.run(zero, target: target) == .error(message: "invalid port number: 0"))
        let grpc = Probe(handler: .grpc(port: 9000, service: nil))
        #expect(await runner.run(grpc, target: target) == .unsupported(message: "grpc probes are not supported by inplaced"))
    }
}

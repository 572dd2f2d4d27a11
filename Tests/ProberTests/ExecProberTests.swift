import ContainerRuntime
import Foundation
import MockRuntime
import PodAPI
import Testing

@testable import Prober

/// exec probes through the runtime's ExecSync, on the mock with an exec handler.
@Suite struct ExecProberTests {
    /// A mock with one running container; returns the mock and the container's ID.
    func running() async throws -> (MockRuntime, String) {
        let mock = MockRuntime()
        try await mock.registry(add: "nginx:1.25")
        let pod = PodSandboxConfig(name: "web", namespace: "default", uid: "u1")
        let ref = try await mock.pullImage("nginx:1.25", sandboxConfig: pod)
        let sb = try await mock.runPodSandbox(pod)
        let id = try await mock.createContainer(
            sandboxID: sb, config: ContainerConfig(name: "app", image: ref, userSpecifiedImage: "nginx:1.25"),
            sandboxConfig: pod)
        try await mock.startContainer(id: id)
        return (mock, id)
    }

    @Test func exitZeroIsASuccessAndAnotherCodeAFailureWithTheOutput() async throws {
        let (mock, id) = try await running()
        let seen = Seen()
        await mock.setExecHandler { cid, command in
            seen.add(cid, command)
            if command.last == "ok" { return ExecResult(stdout: "fine\n", stderr: "", exitCode: 0) }
            return ExecResult(stdout: "out ", stderr: "not ready\n", exitCode: 3)
        }
        let prober = ExecProber(runtime: mock)
        #expect(await prober.probe(containerID: id, command: ["check", "ok"], timeoutSeconds: 1) == .success(output: "fine\n"))
        #expect(await prober.probe(containerID: id, command: ["check", "bad"], timeoutSeconds: 1) == .failure(output: "out not ready\n"))
        #expect(seen.all.first?.0 == id)
        #expect(seen.all.first?.1 == ["check", "ok"])
    }

    @Test func commandOutlivingTheTimeoutIsAFailureNamingTheCommand() async throws {
        let (mock, id) = try await running()
        await mock.setExecHandler { _, _ in
            try await Task.sleep(nanoseconds: 10_000_000_000)
            return ExecResult(stdout: "", stderr: "", exitCode: 0)
        }
        let outcome = await ExecProber(runtime: mock).probe(containerID: id, command: ["sh", "-c", "sleep 10"], timeoutSeconds: 1)
        #expect(outcome == .failure(output: "command \"sh -c sleep 10\" timed out"))
    }

    @Test func runtimeRefusalIsAnError() async throws {
        let (mock, id) = try await running()
        try await mock.stopContainer(id: id, timeoutSeconds: 0)
        let outcome = await ExecProber(runtime: mock).probe(containerID: id, command: ["true"], timeoutSeconds: 1)
        guard case .error(let message) = outcome else {
            Issue.record("expected an error, got \(outcome)")
            return
        }
        #expect(message.contains("CONTAINER_EXITED"))
    }

    @Test func goQuoteEscapesAsPercentQ() {
        #expect(ExecProber.goQuote("cat /tmp/healthy") == "\"cat /tmp/healthy\"")
        #expect(ExecProber.goQuote("echo \"a\"\tb\\") == "\"echo \\\"a\\\"\\tb\\\\\"")
    }
}

final class Seen: @unchecked Sendable {
    private let lock = NSLock()
    private var calls: [(String, [String])] = []
    func add(_ id: String, _ command: [String]) {
        lock.lock()
        calls.append((id, command))
        lock.unlock()
    }
    var all: [(String, [String])] {
        lock.lock()
        defer { lock.unlock() }
        return calls
    }
}

/// A runtime for tests that never reach it.
struct NoRuntime: RuntimeService {
    func version() async throws -> RuntimeVersion { throw RuntimeError.unavailable(call: "Version", detail: "none") }
    func runPodSandbox(_ config: PodSandboxConfig) async throws -> String { throw RuntimeError.unavailable(call: "", detail: "") }
    func stopPodSandbox(id: String) async throws {}
    func removePodSandbox(id: String) async throws {}
    func podSandboxStatus(id: String) async throws -> PodSandboxStatus { throw RuntimeError.unavailable(call: "", detail: "") }
    func listPodSandboxes(labelSelector: [String: String]) async throws -> [PodSandbox] { [] }
    func createContainer(sandboxID: String, config: ContainerConfig, sandboxConfig: PodSandboxConfig) async throws -> String {
        throw RuntimeError.unavailable(call: "", detail: "")
    }
    func startContainer(id: String) async throws {}
    func stopContainer(id: String, timeoutSeconds: Int64) async throws {}
    func removeContainer(id: String) async throws {}
    func listContainers(filter: ContainerFilter) async throws -> [RuntimeContainer] { [] }
    func containerStatus(id: String) async throws -> RuntimeContainerStatus {
        throw RuntimeError.notFound(call: "ContainerStatus", kind: "container", id: id)
    }
    func execSync(id: String, command: [String], timeoutSeconds: Int64) async throws -> ExecResult {
        throw RuntimeError.unavailable(call: "ExecSync", detail: "none")
    }
    func pullImage(_ image: String, sandboxConfig: PodSandboxConfig?) async throws -> String { image }
    func imageStatus(_ image: String) async throws -> RuntimeImage? { nil }
    func listImages() async throws -> [RuntimeImage] { [] }
}

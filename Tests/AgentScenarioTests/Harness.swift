import CLIKit
import ContainerRuntime
import Foundation
import Logging
import MockRuntime
import NodeAgent
import PodAPI
import StateStore
import StatusServer

/// One agent on a runtime (the mock unless another is given) with its store in a temp directory
/// and its status socket served for real; tests read everything through `client`, as
/// `inplacectl` does.
final class Harness: @unchecked Sendable {
    let dir: URL
    private(set) var store: StateStore
    let runtime: any RuntimeService
    /// The runtime as the mock, for tests that steer it (only valid on the mock).
    var mock: MockRuntime { runtime as! MockRuntime }
    let socketPath: String
    let config: AgentConfiguration
    private(set) var agent: NodeAgent
    private var serverTask: Task<Void, Error>?
    let client: StatusClient
    let logger: Logger

    static func fastConfig() -> AgentConfiguration {
        AgentConfiguration(
            nodeName: "test-node", relistPeriodSeconds: 0.05, defaultGraceSeconds: 0,
            backoffBaseSeconds: 0.3, backoffMaxSeconds: 1.2, podLogRoot: "/tmp/inplaced-test-logs",
            resyncPeriodSeconds: 0, podsDirectory: "/tmp/inplaced-test-pods")
    }

    convenience init(config: AgentConfiguration = Harness.fastConfig(), hooks: AgentHooks = .none, mock: MockRuntime? = nil) async throws {
        try await self.init(runtime: mock ?? MockRuntime(), config: config, hooks: hooks)
    }

    init(runtime: any RuntimeService, config: AgentConfiguration = Harness.fastConfig(), hooks: AgentHooks = .none) async throws {
        dir = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("ipd-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        store = try StateStore(path: dir.appendingPathComponent("state.db").path)
        self.runtime = runtime
        socketPath = dir.appendingPathComponent("s.sock").path
        self.config = config
        var l = Logger(label: "test")
        l.logLevel = .warning
        logger = l
        agent = NodeAgent(config: config, runtime: runtime, store: store, logger: l, hooks: hooks)
        client = StatusClient(socketPath: socketPath)
        try await agent.start()
        try await startServer()
    }

    private func startServer() async throws {
        let ready = AsyncStream<Void>.makeStream()
        var quiet = logger
        quiet.logLevel = .critical
        let server = StatusServer(provider: agent, socketPath: socketPath, logger: quiet) { ready.continuation.yield() }
        serverTask = Task { try await server.run() }
        for await _ in ready.stream { break }
    }

    /// Stops the agent as a killed process would leave things (containers running, store as
    /// written) and starts a new one on the same store and runtime.
    /// Stops the agent and starts a new one on the same store and runtime. `drainSeconds`: how
    /// long the old agent's syncs in flight are let finish (the daemon's 10 s by default). The
    /// daemon's process ends after its drain; here the old agent's syncs would go on beside the
    /// new agent's, so a test that restarts during work gives them as long as they need.
    func restartAgent(config: AgentConfiguration? = nil, hooks: AgentHooks = .none, drainSeconds: Double = 10) async throws {
        serverTask?.cancel()
        _ = try? await serverTask?.value
        await agent.shutdown(drainSeconds: drainSeconds)
        agent = NodeAgent(config: config ?? self.config, runtime: runtime, store: store, logger: logger, hooks: hooks)
        try await agent.start()
        try await startServer()
    }

    /// Stops the agent, deletes its SQLite store (a lost or wiped state directory), runs
    /// `whileStopped` (what else is lost meanwhile), and starts a new agent on a new, empty store
    /// and the same runtime.
    func restartAgentWithLostStore(whileStopped: () async throws -> Void = {}) async throws {
        serverTask?.cancel()
        _ = try? await serverTask?.value
        await agent.shutdown()
        try await whileStopped()
        try? store.close()
        let path = dir.appendingPathComponent("state.db").path
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        store = try StateStore(path: path)
        agent = NodeAgent(config: config, runtime: runtime, store: store, logger: logger, hooks: .none)
        try await agent.start()
        try await startServer()
    }

    func stop() async {
        serverTask?.cancel()
        _ = try? await serverTask?.value
        await agent.shutdown()
        try? FileManager.default.removeItem(at: dir)
    }

    /// Admits the pods of one YAML manifest text as the manifest directory would.
    func apply(_ yaml: String, file: String = "pods.yaml") async throws {
        let result = ManifestLoader.load(data: Data(yaml.utf8), fileName: file)
        guard result.errors.isEmpty else { throw HarnessError("manifest rejected: \(result.errors)") }
        await agent.apply(DesiredPods(pods: result.pods.map { DesiredPods.Entry(pod: $0.pod, source: file) }))
    }

    func applyNothing() async {
        await agent.apply(DesiredPods(pods: []))
    }

    func pod(_ name: String, namespace: String = "default") async throws -> Pod {
        try await client.pod(namespace: namespace, name: name)
    }

    /// Polls `check` every 20 ms until it returns a value; fails after `timeout` seconds.
    @discardableResult
    func wait<T>(_ what: String, timeout: Double = 20, _ check: () async throws -> T?) async throws -> T {
        let deadline = Date().addingTimeInterval(timeout)
        var lastError: Error?
        while Date() < deadline {
            do {
                if let v = try await check() { return v }
                lastError = nil
            } catch { lastError = error }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        throw HarnessError("timed out waiting for \(what)\(lastError.map { " (last error: \($0))" } ?? "")")
    }

    /// Waits until the pod is Running with every container running and Ready True.
    @discardableResult
    func waitReady(_ name: String, restartCount: Int32? = nil) async throws -> Pod {
        try await wait("\(name) ready") { () -> Pod? in
            let p = try await pod(name)
            guard p.status?.phase == "Running", p.status?.condition("Ready")?.status == "True" else { return nil }
            if let restartCount, p.status?.containerStatuses?.contains(where: { $0.restartCount != restartCount }) ?? true { return nil }
            return p
        }
    }
}

struct HarnessError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

extension Pod {
    func container(_ name: String) -> ContainerStatus? { status?.containerStatuses?.first { $0.name == name } }
}

/// Manifests used across scenarios.
enum Manifests {
    static func web(
        image: String = "nginx:1.25", sidecarImage: String = "busybox:1.36", gate: Bool = true,
        grace: Double? = 0.3, policy: String? = nil, extra: String = "", name: String = "web"
    ) -> String {
        var annotations: [String] = []
        if let grace { annotations.append("    inplaced.io/inplace-update-grace-seconds: \"\(grace)\"") }
        if let policy { annotations.append("    inplaced.io/pod-update-policy: \(policy)") }
        return """
            apiVersion: v1
            kind: Pod
            metadata:
              name: \(name)
              labels:
                app: web
            \(annotations.isEmpty ? "" : "  annotations:\n" + annotations.joined(separator: "\n"))
            spec:
            \(gate ? "  readinessGates:\n  - conditionType: InPlaceUpdateReady" : "")
              containers:
              - name: app
                image: \(image)
            \(extra)
              - name: sidecar
                image: \(sidecarImage)
            """
    }
}

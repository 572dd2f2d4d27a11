import Foundation
import Logging
import MockRuntime
import NodeAgent
import PodAPI
import StateStore
import StatusServer

/// The real agent as the status socket's provider: `NodeAgent` on the mock runtime (zero latency),
/// a real SQLite store and a watched manifest directory of pods with 2 containers each (as
/// `inplaced-bench`), and the real `StatusServer` on a unix socket in front of it.
final class AgentFixture: Sendable {
    let agent: NodeAgent
    let store: StateStore
    let directory: String
    let socketPath: String
    /// Seconds until every pod ran.
    let startSeconds: Double
    private let source: ManifestDirectorySource
    private let feeding: Task<Void, Never>
    private let server: Task<Void, any Error>

    static let quiet = Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() })

    /// A pod manifest like the one `inplaced-bench` uses: a readiness gate and two containers.
    static func manifest(_ i: Int) -> String {
        """
        apiVersion: v1
        kind: Pod
        metadata:
          name: pod-\(i)
          labels:
            app: bench
        spec:
          readinessGates:
          - conditionType: InPlaceUpdateReady
          containers:
          - name: app
            image: registry.local/app:v1
            ports:
            - containerPort: 8080
          - name: sidecar
            image: registry.local/sidecar:1
        """
    }

    /// Starts the agent with `pods` pods, waits until all run, then serves the status socket.
    /// - Throws: the store's, the runtime's or the server's set-up error.
    static func start(pods: Int) async throws -> AgentFixture {
        let directory = "/tmp/ipd-bench-" + UUID().uuidString.prefix(8).lowercased()
        let manifests = directory + "/manifests"
        try FileManager.default.createDirectory(atPath: manifests, withIntermediateDirectories: true)
        for i in 0..<pods { try manifest(i).write(toFile: "\(manifests)/pod-\(i).yaml", atomically: true, encoding: .utf8) }
        let mock = MockRuntime()
        await mock.setAutoRegistry(true)
        let store = try StateStore(path: directory + "/" + StateStore.databaseFileName)
        let config = AgentConfiguration(
            nodeName: "bench", podLogRoot: directory + "/logs", podsDirectory: directory + "/pods")
        let agent = NodeAgent(config: config, runtime: mock, store: store, logger: quiet)
        try await agent.start()
        let source = ManifestDirectorySource(directory: manifests, pollSeconds: 600, logger: quiet)
        let clock = ContinuousClock()
        let t0 = clock.now
        let feeding = Task { await agent.run(source: source) }
        while await running(agent) < pods { try await Task.sleep(for: .milliseconds(50)) }
        let startSeconds = (clock.now - t0) / .seconds(1)

        let socketPath = directory + "/s.sock"
        let (ready, readyContinuation) = AsyncStream.makeStream(of: Void.self)
        let status = StatusServer(provider: agent, socketPath: socketPath, logger: quiet, onServerRunning: { readyContinuation.yield() })
        let server = Task {
            defer { readyContinuation.finish() }
            try await status.run()
        }
        for await _ in ready { break }
        return AgentFixture(
            agent: agent, store: store, directory: directory, socketPath: socketPath, startSeconds: startSeconds,
            source: source, feeding: feeding, server: server)
    }

    private init(
        agent: NodeAgent, store: StateStore, directory: String, socketPath: String, startSeconds: Double,
        source: ManifestDirectorySource, feeding: Task<Void, Never>, server: Task<Void, any Error>
    ) {
        self.agent = agent
        self.store = store
        self.directory = directory
        self.socketPath = socketPath
        self.startSeconds = startSeconds
        self.source = source
        self.feeding = feeding
        self.server = server
    }

    /// Pods whose containers all run.
    static func running(_ agent: NodeAgent) async -> Int {
        await agent.listPods().filter { p in
            p.status?.phase == "Running" && (p.status?.containerStatuses ?? []).allSatisfy { $0.state.running != nil }
        }.count
    }

    /// The statuses the agent queued in its outbox (one per pod, the newest), as the reporter
    /// would read them.
    func queuedStatuses() throws -> [OutboxRecord] {
        try store.read { try $0.pendingStatuses(limit: 1_000_000, now: .distantFuture) }
    }

    /// Stops the server (it removes its socket), the agent and the store; removes the directory.
    func stop() async {
        server.cancel()
        _ = try? await server.value
        source.stop()
        feeding.cancel()
        await agent.shutdown()
        try? store.close()
        try? FileManager.default.removeItem(atPath: directory)
    }
}

import ContainerRuntime
import Foundation
import Logging
import NodeAgent
import PodAPI
import StateStore

/// Pods run by a real ``NodeAgent`` in this process (SQLite store, watched manifest directory),
/// on the runtime given. A measure edits the manifests and polls the agent's status cache
/// in-process (no socket) at each of its changes until each pod is done.
final class AgentPods: @unchecked Sendable {
    let runtime: TracingRuntime
    let count: Int
    let dir: String
    let relistSeconds: Double
    private var agent: NodeAgent?
    private var store: StateStore?
    private var source: ManifestDirectorySource?
    private var feeding: Task<Void, Never>?
    private var tag = "v1"
    private var revision = 0

    init(runtime: TracingRuntime, count: Int, dir: String, relistSeconds: Double) {
        self.runtime = runtime
        self.count = count
        self.dir = dir
        self.relistSeconds = relistSeconds
    }

    var manifests: String { dir + "/manifests" }
    static func name(_ i: Int) -> String { "bench-\(i)" }

    /// Writes every manifest (each through a rename, as an editor saves).
    private func writeManifests() throws {
        for i in 0..<count {
            let path = "\(manifests)/\(Self.name(i)).yaml"
            try BenchPod.manifest(name: Self.name(i), tag: tag, revision: revision)
                .write(toFile: path + ".tmp", atomically: false, encoding: .utf8)
            guard rename(path + ".tmp", path) == 0 else { throw BenchError("rename \(path): errno \(errno)") }
        }
    }

    /// Starts the agent on the manifests and waits until every pod is Running and Ready.
    func setUp() async throws {
        try FileManager.default.createDirectory(atPath: manifests, withIntermediateDirectories: true)
        try writeManifests()
        // INPLACED_BENCH_CHECKPOINT and INPLACED_BENCH_QUIET (seconds) set the store's checkpoint
        // period and quiet delay, to see the checkpoints' share.
        var storeOptions = StoreOptions()
        let env = ProcessInfo.processInfo.environment
        if let s = env["INPLACED_BENCH_CHECKPOINT"].flatMap(Double.init) { storeOptions.checkpointIntervalSeconds = s }
        if let s = env["INPLACED_BENCH_QUIET"].flatMap(Double.init) { storeOptions.quietCheckpointSeconds = s }
        let store = try StateStore(path: dir + "/state.db", options: storeOptions)
        self.store = store
        let logger = Logger(label: "inplaced-bench-cri")
        let config = AgentConfiguration(
            nodeName: "bench", relistPeriodSeconds: relistSeconds, defaultGraceSeconds: 0,
            podLogRoot: dir + "/logs", resyncPeriodSeconds: 0, podsDirectory: dir + "/pods")
        let agent = NodeAgent(config: config, runtime: runtime, store: store, logger: logger)
        self.agent = agent
        try await agent.start()
        let source = ManifestDirectorySource(directory: manifests, pollSeconds: 600, logger: logger)
        self.source = source
        feeding = Task { await agent.run(source: source) }
        _ = try await waitAll(timeout: 60) { _, p in Self.ready(p) }
    }

    /// Running, Ready True, InPlaceUpdateReady True, every container running.
    static func ready(_ p: Pod) -> Bool {
        guard let s = p.status, s.phase == "Running", s.condition("Ready")?.status == "True",
            s.condition("InPlaceUpdateReady")?.status == "True", let cs = s.containerStatuses, cs.count == 2
        else { return false }
        return cs.allSatisfy { $0.state.running != nil }
    }

    static func containerID(_ p: Pod, _ name: String) -> String? {
        p.status?.containerStatuses?.first { $0.name == name }?.containerID
    }

    /// Polls the agent's status cache until `done` holds for every pod; returns each pod's
    /// seconds since `t0`.
    private func waitAll(
        since t0: ContinuousClock.Instant = .now, timeout: Double,
        _ done: (Int, Pod) -> Bool
    ) async throws -> [Double] {
        guard let agent else { throw BenchError("agent not started") }
        var times = [Double?](repeating: nil, count: count)
        var left = count
        while left > 0 {
            let seen = agent.statusChangeCount
            let pods = await agent.listPods()
            let now = ContinuousClock.now
            let byName = Dictionary(pods.map { ($0.metadata.name ?? "", $0) }, uniquingKeysWith: { a, _ in a })
            for i in 0..<count where times[i] == nil {
                if let p = byName[Self.name(i)], done(i, p) {
                    times[i] = RawPods.seconds(now - t0)
                    left -= 1
                }
            }
            if RawPods.seconds(now - t0) > timeout {
                throw BenchError("timed out after \(Int(timeout)) s waiting for \(left) of \(count) agent pods")
            }
            // Wake at the next status change (no polling: the floor's calls run with nothing
            // else in this process awake, so do the agent's); at the latest after a second.
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await agent.waitForStatusChange(after: seen) }
                group.addTask { try? await Task.sleep(nanoseconds: 1_000_000_000) }
                await group.next()
                group.cancelAll()
            }
        }
        return times.map { $0 ?? 0 }
    }

    /// The app containers' IDs (and the sidecars') now, by pod index.
    private func currentIDs() async -> [(app: String?, sidecar: String?)] {
        let pods = await agent?.listPods() ?? []
        return (0..<count).map { i in
            let p = pods.first { $0.metadata.name == Self.name(i) }
            return (p.flatMap { Self.containerID($0, "app") }, p.flatMap { Self.containerID($0, "sidecar") })
        }
    }

    /// Edits every manifest's app image to `newTag` at once; per pod, seconds from the edit until
    /// a new app container of that image runs and the pod is Ready with its gate True.
    func inPlace(to newTag: String) async throws -> [Double] {
        let before = await currentIDs()
        tag = newTag
        let want = "\(BenchPod.image):\(newTag)"
        let t0 = ContinuousClock.now
        try writeManifests()
        return try await waitAll(since: t0, timeout: 60) { i, p in
            guard Self.ready(p), let app = p.status?.containerStatuses?.first(where: { $0.name == "app" }) else { return false }
            return app.image == want && app.containerID != before[i].app
        }
    }

    /// Changes the sidecar's env in every manifest at once (the pod is recreated, new sandbox);
    /// per pod, seconds from the edit until both containers are new, running, and the pod Ready.
    func recreate(revision newRevision: Int) async throws -> [Double] {
        let before = await currentIDs()
        revision = newRevision
        let t0 = ContinuousClock.now
        try writeManifests()
        return try await waitAll(since: t0, timeout: 60) { i, p in
            Self.ready(p) && Self.containerID(p, "app") != before[i].app && Self.containerID(p, "sidecar") != before[i].sidecar
        }
    }

    /// Deletes the manifests, waits until the agent removed every pod and sandbox, stops it.
    func tearDown() async {
        if let agent, let names = try? FileManager.default.contentsOfDirectory(atPath: manifests) {
            for n in names { try? FileManager.default.removeItem(atPath: "\(manifests)/\(n)") }
            let deadline = ContinuousClock.now + .seconds(60)
            while ContinuousClock.now < deadline {
                let selector = [RuntimeConfigs.managedLabel: "true", BenchPod.label: "true"]
                let sandboxes = (try? await runtime.listPodSandboxes(labelSelector: selector)) ?? []
                if await agent.listPods().isEmpty, sandboxes.isEmpty { break }
                try? await Task.sleep(nanoseconds: 20_000_000)
            }
        }
        source?.stop()
        feeding?.cancel()
        await agent?.shutdown()
        try? store?.close()
        agent = nil
        store = nil
    }
}

import ContainerRuntime
import Foundation
import NodeAgent
import PodAPI

/// Pods the benchmark runs itself, straight through the runtime with no agent: the floor.
/// Their sandbox and container configs are the agent's own (``NodeAgent/RuntimeConfigs``), minus
/// the labels by which the agent's relister and cleanup would take them for its pods.
final class RawPods: @unchecked Sendable {
    /// One pod's runtime objects.
    struct Live: Sendable {
        var uid: String
        var sandboxID: String
        var attempt: UInt32
        var appID: String
        var sidecarID: String
        var appRestarts: Int
    }

    let runtime: any RuntimeService
    let count: Int
    let logRoot: String
    private(set) var pods: [Live] = []
    private var tag = "v1"
    private var revision = 0

    init(runtime: any RuntimeService, count: Int, logRoot: String) {
        self.runtime = runtime
        self.count = count
        self.logRoot = logRoot
    }

    static func name(_ i: Int) -> String { "raw-\(i)" }

    func sandboxConfig(_ pod: Pod, uid: String, attempt: UInt32) -> PodSandboxConfig {
        var cfg = RuntimeConfigs.sandbox(for: pod, uid: uid, attempt: attempt, podLogRoot: logRoot, specHash: "raw")
        cfg.labels[RuntimeConfigs.managedLabel] = nil
        return cfg
    }

    func containerConfig(_ pod: Pod, _ name: String, uid: String, restarts: Int) throws -> ContainerConfig {
        guard let c = pod.spec.containers.first(where: { $0.name == name }) else { throw BenchError("no container \(name)") }
        var cfg = RuntimeConfigs.container(for: c, pod: pod, uid: uid, imageRef: c.image ?? "", restartCount: restarts,
                                           hash: "0", algorithm: .nameImage)
        cfg.labels[KubeletLabels.podUID] = nil
        return cfg
    }

    /// Runs `body` for every pod at once; returns each pod's seconds from the common start.
    private func timedAll(_ body: @escaping @Sendable (Int, Live) async throws -> Live) async throws -> [Double] {
        let t0 = ContinuousClock.now
        let current = pods
        let results = try await withThrowingTaskGroup(of: (Int, Live, Double).self) { group in
            for (i, p) in current.enumerated() {
                group.addTask {
                    let next = try await body(i, p)
                    return (i, next, Self.seconds(ContinuousClock.now - t0))
                }
            }
            var out: [(Int, Live, Double)] = []
            for try await r in group { out.append(r) }
            return out
        }
        var times = [Double](repeating: 0, count: results.count)
        for (i, live, t) in results {
            pods[i] = live
            times[i] = t
        }
        return times
    }

    /// RunPodSandbox, then CreateContainer and StartContainer for app and sidecar: one pod.
    private func startPod(_ i: Int, uid: String, attempt: UInt32) async throws -> Live {
        let pod = try BenchPod.pod(name: Self.name(i), tag: tag, revision: revision)
        let sb = sandboxConfig(pod, uid: uid, attempt: attempt)
        let sandboxID = try await runtime.runPodSandbox(sb)
        let app = try await runtime.createContainer(sandboxID: sandboxID, config: try containerConfig(pod, "app", uid: uid, restarts: 0),
                                                    sandboxConfig: sb)
        try await runtime.startContainer(id: app)
        let sidecar = try await runtime.createContainer(sandboxID: sandboxID,
                                                        config: try containerConfig(pod, "sidecar", uid: uid, restarts: 0), sandboxConfig: sb)
        try await runtime.startContainer(id: sidecar)
        return Live(uid: uid, sandboxID: sandboxID, attempt: attempt, appID: app, sidecarID: sidecar, appRestarts: 0)
    }

    /// Creates every pod (not measured).
    func setUp() async throws {
        pods = []
        for i in 0..<count {
            pods.append(try await startPod(i, uid: UUID().uuidString.lowercased(), attempt: 0))
        }
    }

    /// The in-place floor: StopContainer (the pod's grace), RemoveContainer, CreateContainer
    /// (app at `newTag`, restartCount + 1), StartContainer, for every pod at once.
    func inPlace(to newTag: String) async throws -> [Double] {
        tag = newTag
        let (tag, revision) = (self.tag, self.revision)
        return try await timedAll { [self] i, p in
            var p = p
            let pod = try BenchPod.pod(name: Self.name(i), tag: tag, revision: revision)
            let sb = sandboxConfig(pod, uid: p.uid, attempt: p.attempt)
            try await runtime.stopContainer(id: p.appID, timeoutSeconds: BenchPod.gracePeriod)
            try await runtime.removeContainer(id: p.appID)
            p.appRestarts += 1
            p.appID = try await runtime.createContainer(sandboxID: p.sandboxID,
                                                         config: try containerConfig(pod, "app", uid: p.uid, restarts: p.appRestarts),
                                                         sandboxConfig: sb)
            try await runtime.startContainer(id: p.appID)
            return p
        }
    }

    /// The recreate floor: StopPodSandbox, RemovePodSandbox, RunPodSandbox, CreateContainer and
    /// StartContainer for both containers, for every pod at once (the sidecar's env changes).
    func recreate(revision newRevision: Int) async throws -> [Double] {
        revision = newRevision
        return try await timedAll { [self] i, p in
            try await runtime.stopPodSandbox(id: p.sandboxID)
            try await runtime.removePodSandbox(id: p.sandboxID)
            return try await startPod(i, uid: p.uid, attempt: p.attempt + 1)
        }
    }

    /// Stops and removes every sandbox (and so container) this object made, also one a failed
    /// round left behind (found by the bench label and the `raw-` name).
    func tearDown() async {
        var ids = Set(pods.map(\.sandboxID))
        let listed = (try? await runtime.listPodSandboxes(labelSelector: [BenchPod.label: "true"])) ?? []
        ids.formUnion(listed.filter { $0.name.hasPrefix("raw-") }.map(\.id))
        for id in ids {
            try? await runtime.stopPodSandbox(id: id)
            try? await runtime.removePodSandbox(id: id)
        }
        pods = []
    }

    static func seconds(_ d: Duration) -> Double {
        let (s, atto) = d.components
        return Double(s) + Double(atto) / 1e18
    }
}

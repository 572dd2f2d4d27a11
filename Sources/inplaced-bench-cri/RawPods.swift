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
    /// Calls redone after the connection to the runtime dropped under them (see ``resilient``).
    let redone = Counter()
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
        var cfg = RuntimeConfigs.container(
            for: c, pod: pod, uid: uid, imageRef: c.image ?? "", restartCount: restarts,
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
        let sandboxID = try await runSandbox(sb)
        let app = try await create(sandboxID, try containerConfig(pod, "app", uid: uid, restarts: 0), sb)
        try await start(app)
        let sidecar = try await create(sandboxID, try containerConfig(pod, "sidecar", uid: uid, restarts: 0), sb)
        try await start(sidecar)
        return Live(uid: uid, sandboxID: sandboxID, attempt: attempt, appID: app, sidecarID: sidecar, appRestarts: 0)
    }

    // MARK: Calls that survive a dropped connection
    // The connection to containerd sometimes drops under in-flight calls ("Stream unexpectedly
    // closed", see the issue notes). Like the agent, the floor then finds out what the runtime
    // did and redoes only what did not happen; each redo is counted and printed.

    private func isDrop(_ e: Error) -> Bool {
        if case .unavailable? = e as? ContainerRuntime.RuntimeError { return true } else { return false }
    }

    private func runSandbox(_ sb: PodSandboxConfig) async throws -> String {
        do { return try await runtime.runPodSandbox(sb) } catch  where isDrop(error) {
            redone.add()
            let found = try await runtime.listPodSandboxes(labelSelector: [KubeletLabels.podName: sb.name])
                .first { $0.uid == sb.uid && $0.attempt == sb.attempt && $0.state == .ready }
            if let found { return found.id }
            return try await runtime.runPodSandbox(sb)
        }
    }

    private func create(_ sandboxID: String, _ cfg: ContainerConfig, _ sb: PodSandboxConfig) async throws -> String {
        do { return try await runtime.createContainer(sandboxID: sandboxID, config: cfg, sandboxConfig: sb) } catch let e
            as ContainerRuntime.RuntimeError where Self.holder(e) != nil
        {
            // A create the runtime did although its answer was lost (the floor's own retry).
            redone.add()
            return Self.holder(e)!
        } catch  where isDrop(error) {
            redone.add()
            let found = try await runtime.listContainers(filter: ContainerFilter(sandboxID: sandboxID))
                .first { $0.name == cfg.name && $0.attempt == cfg.attempt }
            if let found { return found.id }
            return try await runtime.createContainer(sandboxID: sandboxID, config: cfg, sandboxConfig: sb)
        }
    }

    /// The holder ID in containerd's `... is reserved for "<id>"`.
    static func holder(_ e: ContainerRuntime.RuntimeError) -> String? {
        guard case .failed(_, let d) = e, let r = d.range(of: "is reserved for \"", options: .backwards) else { return nil }
        return d[r.upperBound...].split(separator: "\"").first.map(String.init)
    }

    private func start(_ id: String) async throws {
        do { try await runtime.startContainer(id: id) } catch  where isDrop(error) {
            redone.add()
            // Give an interrupted start time to settle ("already in starting state").
            for _ in 0..<50 {
                let st = try await runtime.containerStatus(id: id)
                if st.state == .running || st.state == .exited { return }
                do {
                    try await runtime.startContainer(id: id)
                    return
                } catch  where !isDrop(error) {
                    try await Task.sleep(nanoseconds: 20_000_000)
                }
            }
            throw BenchError("container \(id) did not start after a dropped connection")
        }
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
            p.appID = try await create(p.sandboxID, try containerConfig(pod, "app", uid: p.uid, restarts: p.appRestarts), sb)
            try await start(p.appID)
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

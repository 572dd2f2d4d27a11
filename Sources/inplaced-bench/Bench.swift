import Foundation
import Logging
import MockRuntime
import NodeAgent
import PodAPI
import StateStore

#if canImport(Glibc)
    import Glibc
#endif

/// The benchmark behind `scripts/bench.sh` (not a test): the agent in this process with the
/// mock runtime at zero latency, a real SQLite store and the watched manifest directory.
/// For each pod count it prints: time to start every pod, manifest edit → new container running
/// (p50, p99 over the edits), CPU seconds per in-place upgrade, and the process's peak RSS.
@main
struct Bench {
    static func main() async throws {
        let args = CommandLine.arguments.dropFirst()
        let counts = args.first.map { $0.split(separator: ",").compactMap { Int($0) } } ?? [100, 1000, 5000]
        let edits = args.dropFirst().first.flatMap { Int($0) } ?? 200
        LoggingSystem.bootstrap { label in
            var h = StreamLogHandler.standardError(label: label)
            h.logLevel = .critical
            return h
        }
        print("pods  containers  start-all(s)  edit->running p50(ms)  p99(ms)  cpu-s/upgrade  peak-RSS(MiB)")
        for n in counts {
            let r = try await run(pods: n, edits: edits)
            print(
                String(
                    format: "%5d  %10d  %12.2f  %21.1f  %7.1f  %13.4f  %13.1f",
                    n, n * 2, r.startSeconds, r.p50 * 1000, r.p99 * 1000, r.cpuPerUpgrade, r.peakRSSMiB))
        }
    }

    struct Result {
        var startSeconds: Double
        var p50: Double
        var p99: Double
        var cpuPerUpgrade: Double
        var peakRSSMiB: Double
    }

    static func manifest(_ i: Int, tag: String) -> String {
        """
        apiVersion: v1
        kind: Pod
        metadata:
          name: pod-\(i)
        spec:
          readinessGates:
          - conditionType: InPlaceUpdateReady
          containers:
          - name: app
            image: registry.local/app:\(tag)
          - name: sidecar
            image: registry.local/sidecar:1
        """
    }

    static func run(pods n: Int, edits: Int) async throws -> Result {
        let dir = NSTemporaryDirectory() + "inplaced-bench-\(UUID().uuidString.prefix(8))"
        let manifests = dir + "/manifests"
        try FileManager.default.createDirectory(atPath: manifests, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for i in 0..<n { try manifest(i, tag: "v0").write(toFile: "\(manifests)/pod-\(i).yaml", atomically: true, encoding: .utf8) }

        let mock = MockRuntime()
        await mock.setAutoRegistry(true)
        let store = try StateStore(path: dir + "/state.db")
        let logger = Logger(label: "bench")
        let config = AgentConfiguration(nodeName: "bench", relistPeriodSeconds: 1, defaultGraceSeconds: 0, resyncPeriodSeconds: 0)
        let agent = NodeAgent(config: config, runtime: mock, store: store, logger: logger)
        try await agent.start()
        let source = ManifestDirectorySource(directory: manifests, pollSeconds: 600, logger: logger)

        let t0 = Date()
        let feeding = Task { await agent.run(source: source) }
        while await runningPods(agent) < n { try await Task.sleep(nanoseconds: 20_000_000) }
        let startSeconds = Date().timeIntervalSince(t0)

        var latencies: [Double] = []
        let cpu0 = cpuSeconds()
        for e in 0..<edits {
            let i = (e * 7919) % n
            let tag = "v\(e + 1)"
            let start = Date()
            try manifest(i, tag: tag).write(toFile: "\(manifests)/.tmp", atomically: false, encoding: .utf8)
            rename("\(manifests)/.tmp", "\(manifests)/pod-\(i).yaml")
            let want = "registry.local/app:\(tag)"
            while true {
                if let p = await agent.getPod(namespace: "default", name: "pod-\(i)"),
                    let c = p.status?.containerStatuses?.first(where: { $0.name == "app" }),
                    c.image == want, c.state.running != nil
                {
                    break
                }
                try await Task.sleep(nanoseconds: 200_000)
            }
            latencies.append(Date().timeIntervalSince(start))
        }
        let cpu = cpuSeconds() - cpu0
        source.stop()
        feeding.cancel()
        await agent.shutdown()
        try store.close()
        latencies.sort()
        func pct(_ p: Double) -> Double { latencies[min(latencies.count - 1, Int((Double(latencies.count) * p).rounded(.up)) - 1)] }
        return Result(
            startSeconds: startSeconds, p50: pct(0.5), p99: pct(0.99), cpuPerUpgrade: cpu / Double(edits), peakRSSMiB: peakRSSMiB())
    }

    static func runningPods(_ agent: NodeAgent) async -> Int {
        await agent.listPods().filter { p in
            p.status?.phase == "Running" && (p.status?.containerStatuses ?? []).allSatisfy { $0.state.running != nil }
        }.count
    }

    static func cpuSeconds() -> Double {
        var u = rusage()
        getrusage(RUSAGE_SELF.rawValue, &u)
        return Double(u.ru_utime.tv_sec) + Double(u.ru_utime.tv_usec) / 1e6 + Double(u.ru_stime.tv_sec) + Double(u.ru_stime.tv_usec) / 1e6
    }

    /// Peak resident set size of this process, MiB (`ru_maxrss` is KiB on Linux).
    static func peakRSSMiB() -> Double {
        var u = rusage()
        getrusage(RUSAGE_SELF.rawValue, &u)
        return Double(u.ru_maxrss) / 1024
    }
}

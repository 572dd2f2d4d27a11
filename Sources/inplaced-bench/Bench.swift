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
        LoggingSystem.bootstrap { label in
            var h = StreamLogHandler.standardError(label: label)
            h.logLevel = .critical
            return h
        }
        if args.first == "wide" {
            let containers = args.dropFirst().first.flatMap { Int($0) } ?? 300
            let seconds = try await wide(containers: containers)
            print(
                String(
                    format: "one pod of %d containers: all running in %.2f s (%.2f ms per container), peak RSS %.1f MiB", containers,
                    seconds, seconds * 1000 / Double(containers), peakRSSMiB()))
            return
        }
        let counts = args.first.map { $0.split(separator: ",").compactMap { Int($0) } } ?? [100, 1000, 5000]
        let edits = args.dropFirst().first.flatMap { Int($0) } ?? 200
        print(
            "pods  containers  start-all(s)  start-cpu(s)  edit->running p50(ms)  p99(ms)  cpu-s/upgrade  peak-RSS(MiB)  relist(ms)  rename->running p99(ms)"
        )
        for n in counts {
            let r = try await run(pods: n, edits: edits)
            print(
                String(
                    format: "%5d  %10d  %12.2f  %12.2f  %21.1f  %7.1f  %13.4f  %13.1f  %10.1f  %23.1f",
                    n, n * 2, r.startSeconds, r.startCPU, r.p50 * 1000, r.p99 * 1000, r.cpuPerUpgrade, r.peakRSSMiB, r.relistMs,
                    r.p99AfterWrite * 1000))
        }
    }

    struct Result {
        var startSeconds: Double
        var p50: Double
        var p99: Double
        var cpuPerUpgrade: Double
        var peakRSSMiB: Double
        var relistMs: Double
        var startCPU: Double
        /// p99 from the rename that puts the edited manifest in place (the write's own time left
        /// out), seconds.
        var p99AfterWrite: Double = 0
    }

    /// The relist period, seconds: kubelet's 1 s, or `INPLACED_BENCH_RELIST` (to see its share).
    static let relistPeriod = ProcessInfo.processInfo.environment["INPLACED_BENCH_RELIST"].flatMap(Double.init) ?? 1

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
        let node = try await BenchNode.make(relistPeriod: relistPeriod)
        let agent = node.agent
        let manifests = node.manifests
        for i in 0..<n { try manifest(i, tag: "v0").write(toFile: "\(manifests)/pod-\(i).yaml", atomically: true, encoding: .utf8) }

        let t0 = Date()
        let startCPU0 = cpuSeconds()
        let feeding = node.feed()
        while runningPods(agent) < n { try await Task.sleep(nanoseconds: 50_000_000) }
        let startSeconds = Date().timeIntervalSince(t0)
        let startCPU = cpuSeconds() - startCPU0

        // One relist pass with nothing changed (the first after start-up syncs what it sees).
        await agent.relistNow()
        try await Task.sleep(nanoseconds: 3_000_000_000)
        let r0 = Date()
        for _ in 0..<10 { await agent.relistNow() }
        let relistMs = Date().timeIntervalSince(r0) * 100
        if ProcessInfo.processInfo.environment["INPLACED_BENCH_METRICS"] != nil {
            for line in await agent.metricsText().split(separator: "\n") where line.contains("_sum") || line.contains("_count") {
                FileHandle.standardError.write(Data((line + "\n").utf8))
            }
        }
        var latencies: [Double] = []
        var starts: [Double] = []
        var monotonic: [UInt64] = []
        var writes: [Double] = []
        // The WAL's size after each edit (bytes), read between edits when INPLACED_BENCH_WAL or
        // INPLACED_BENCH_SLOWEST is set.
        var walSizes: [Int] = []
        let env = ProcessInfo.processInfo.environment
        let traceWAL = env["INPLACED_BENCH_WAL"] != nil || env["INPLACED_BENCH_SLOWEST"] != nil
        let cpu0 = cpuSeconds()
        let editsBegin = Date()
        for e in 0..<edits {
            let i = (e * 7919) % n
            let tag = "v\(e + 1)"
            let start = Date()
            monotonic.append(DispatchTime.now().uptimeNanoseconds)
            try node.write(manifest(i, tag: tag), to: "pod-\(i).yaml")
            writes.append(Date().timeIntervalSince(start))
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
            if traceWAL {
                walSizes.append(((try? FileManager.default.attributesOfItem(atPath: node.dir + "/state.db-wal"))?[.size] as? Int) ?? -1)
            }
            starts.append(start.timeIntervalSince(editsBegin))
        }
        let cpu = cpuSeconds() - cpu0
        // A copy of the store as the edits left it, to read its WAL's transactions afterwards.
        if let keep = env["INPLACED_BENCH_KEEP"] {
            for f in ["state.db", "state.db-wal"] { try? FileManager.default.copyItem(atPath: node.dir + "/" + f, toPath: keep + "/" + f) }
        }
        try await node.stop(feeding)
        if let k = env["INPLACED_BENCH_SLOWEST"].flatMap(Int.init), k > 0 {
            // The k slowest edits: their number, when they began after the first (ms, and on
            // CLOCK_MONOTONIC in seconds, the clock of `perf record -k CLOCK_MONOTONIC`), their
            // latency and the manifest write's share of it (ms), and the WAL's size before and
            // after (bytes): to line them up with periodic work or a large commit.
            let slowest = latencies.indices.sorted { latencies[$0] > latencies[$1] }.prefix(k)
            for i in slowest {
                FileHandle.standardError.write(
                    Data(
                        String(
                            format: "slow edit %d at +%.0f ms (mono %.6f): %.1f ms, of which the write %.1f ms, wal %d -> %d\n", i,
                            starts[i] * 1000, Double(monotonic[i]) / 1e9, latencies[i] * 1000, writes[i] * 1000,
                            i > 0 ? walSizes[i - 1] : 0, walSizes[i]
                        ).utf8))
            }
        }
        if env["INPLACED_BENCH_WAL"] != nil {
            // What each edit added to the WAL (KiB; negative when it started over).
            FileHandle.standardError.write(
                Data(
                    ("wal deltas KiB: "
                        + walSizes.indices.map { i in String((walSizes[i] - (i > 0 ? walSizes[i - 1] : 0)) / 1024) }.joined(separator: " ")
                        + "\n").utf8))
        }
        let afterWrite = zip(latencies, writes).map { $0 - $1 }.sorted()
        latencies.sort()
        if ProcessInfo.processInfo.environment["INPLACED_BENCH_DECILES"] != nil, !latencies.isEmpty {
            // Each tenth of the edits' latencies (ms), and the slowest: a delay of fixed length
            // shows as a step.
            let deciles = (1...10).map { latencies[min(latencies.count - 1, latencies.count * $0 / 10 - ($0 == 10 ? 1 : 0))] * 1000 }
            FileHandle.standardError.write(
                Data(("edit->running deciles (ms): " + deciles.map { String(format: "%.1f", $0) }.joined(separator: " ") + "\n").utf8))
        }
        // With no edits (`inplaced-bench N 0`: start-up only) the edit columns are 0.
        func pct(_ p: Double, of values: [Double]) -> Double {
            values.isEmpty ? 0 : values[min(values.count - 1, Int((Double(values.count) * p).rounded(.up)) - 1)]
        }
        return Result(
            startSeconds: startSeconds, p50: pct(0.5, of: latencies), p99: pct(0.99, of: latencies),
            cpuPerUpgrade: edits > 0 ? cpu / Double(edits) : 0, peakRSSMiB: peakRSSMiB(),
            relistMs: relistMs, startCPU: startCPU, p99AfterWrite: pct(0.99, of: afterWrite))
    }

    /// Seconds from one pod of `containers` containers written to the manifest directory to all
    /// of them running.
    static func wide(containers: Int) async throws -> Double {
        let node = try await BenchNode.make(relistPeriod: relistPeriod)
        let agent = node.agent
        let feeding = node.feed()
        var text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: wide\nspec:\n  containers:\n"
        for i in 0..<containers { text += "  - name: c\(i)\n    image: registry.local/app:v0\n" }
        let t0 = Date()
        try node.write(text, to: "wide.yaml")
        while true {
            if let p = await agent.getPod(namespace: "default", name: "wide"),
                let cs = p.status?.containerStatuses, cs.count == containers, cs.allSatisfy({ $0.state.running != nil })
            {
                break
            }
            try await Task.sleep(nanoseconds: 1_000_000)
        }
        let seconds = Date().timeIntervalSince(t0)
        try await node.stop(feeding)
        return seconds
    }

    static func runningPods(_ agent: NodeAgent) -> Int {
        agent.countPods { p in
            p.status?.phase == "Running" && (p.status?.containerStatuses ?? []).allSatisfy { $0.state.running != nil }
        }
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

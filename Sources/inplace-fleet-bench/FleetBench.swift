import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import PodAPI
import Synchronization

/// A kwok-style node simulator and load generator for `scripts/bench-fleet.sh`: `nodes` simulated
/// nodes register, renew their Leases every 10 s and watch their pods as kubelet does, and mark each
/// pod bound to them Running with a strategic merge patch of its status; `pods` pods are created
/// through the API. Prints the time until every pod is Running in the API, the requests per second,
/// the watch-event latency (a node's status patch acknowledged → the event on an all-pods watch)
/// and the controller's RSS.
@main
struct FleetBench {
    static func printRSS(_ pid: Int) {
        guard pid > 0, let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return }
        let lines = status.split(separator: "\n").filter { $0.hasPrefix("VmRSS") || $0.hasPrefix("VmHWM") }
        print(
            "controller "
                + lines.map { $0.replacingOccurrences(of: "\t", with: " ").replacingOccurrences(of: "  ", with: "") }.joined(
                    separator: ", "))
    }

    static func main() async throws {
        let args = CommandLine.arguments
        func arg(_ name: String, _ def: String) -> String { args.firstIndex(of: name).map { args[$0 + 1] } ?? def }
        let server = arg("--server", "http://127.0.0.1:6443")
        let nodes = Int(arg("--nodes", "1000"))!
        let pods = Int(arg("--pods", "10000"))!
        let pid = Int(arg("--controller-pid", "0"))!
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: nodes + 200)
        configuration.timeout = .init(connect: .seconds(10), read: nil)
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let bench = Bench(http: http, server: server)
        let cloneSet = Int(arg("--cloneset", "0"))!
        let maxUnavailable = Int(arg("--max-unavailable", "10"))!
        let start = Date()
        // Nodes register.
        try await bench.forEach(0..<nodes, concurrency: 64) { i in try await bench.register("sim-\(i)") }
        print(String(format: "registered %d nodes in %.1f s", nodes, Date().timeIntervalSince(start)))
        let watchers = Task {
            await withTaskGroup(of: Void.self) { group in
                for i in 0..<nodes { group.addTask { await bench.runNode("sim-\(i)") } }
                group.addTask { await bench.watchAll() }
            }
        }
        try await Task.sleep(for: .seconds(2))
        if cloneSet > 0 {
            try await RolloutBench(bench: bench).run(pods: cloneSet, maxUnavailable: maxUnavailable)
            printRSS(pid)
            watchers.cancel()
            exit(0)
        }
        let t0 = Date()
        bench.markStart(t0)
        try await bench.forEach(0..<pods, concurrency: 64) { i in try await bench.createPod("bench-\(i)") }
        let created = Date().timeIntervalSince(t0)
        print(String(format: "created %d pods in %.1f s (%.0f creates/s)", pods, created, Double(pods) / created))
        while bench.runningCount < pods {
            try await Task.sleep(for: .milliseconds(100))
            if Date().timeIntervalSince(t0) > 1800 {
                print("timed out")
                break
            }
        }
        let total = Date().timeIntervalSince(t0)
        let requests = bench.requestCount
        let latencies = bench.latencies.sorted()
        func pct(_ p: Double) -> Double {
            latencies.isEmpty ? 0 : latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] * 1000
        }
        print(String(format: "all %d pods placed and reported Running in %.1f s", pods, total))
        print(
            String(
                format:
                    "API requests: %d in %.1f s = %.0f requests/s (creates, bindings' status patches, leases); %d sent again after a 5xx",
                requests, total, Double(requests) / total, bench.retryCount))
        print(
            String(
                format:
                    "watch-event latency (status patch acknowledged -> event on an all-pods watch): p50 %.1f ms, p99 %.1f ms, max %.1f ms (n=%d)",
                pct(0.5), pct(0.99), pct(1.0), latencies.count))
        printRSS(pid)
        // The node watches stay open to the end: the process exits without waiting for the
        // client to close them (HTTPClient.shutdown would wait for every open watch).
        watchers.cancel()
        exit(0)
    }
}

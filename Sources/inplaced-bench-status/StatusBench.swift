import Foundation
import Logging
import NIOCore
import NIOPosix
import PodAPI

#if canImport(Glibc)
    import Glibc
#endif

/// The benchmark behind `scripts/bench-status.sh` (not a test): the status socket and the
/// reporter of a release build, with figures and their ratios to issue 12's goals.
///
/// - GET of one pod (`/v1/pods/default/pod-N`, the pods in turn) over the unix socket, with 8, 32
///   and 64 concurrent keep-alive connections: requests per second and p99 latency (goal
///   >= 10,000 req/s); beside it the same client against a fixed body of the same size served by
///   Hummingbird alone and by bare NIO, so the client is seen not to be the limit.
/// - The list of every pod (`/v1/pods`), sequential on one connection: p50 and p99 (goal <= 20 ms).
/// - The reporter: the agent's queued statuses, failed against a controller answering 503, then
///   the time until the controller has them all once it answers 200 (goal <= 1 s).
///
/// Everything runs in this process: the real `NodeAgent` on the mock runtime with a real SQLite
/// store, the real `StatusServer`, the real `StatusReporter`; the load client has its own event loop.
@main
struct StatusBench {
    /// Goal of GET of one pod, in requests per second (at least).
    static let getGoal = 10_000.0
    /// Goal of the list's p99 latency, in milliseconds (at most).
    static let listGoalMilliseconds = 20.0
    /// Goal of the reporter's drain of 1,000 statuses, in seconds (at most).
    static let reporterGoalSeconds = 1.0

    static func main() async {
        do {
            try await run(BenchOptions.parse(Array(CommandLine.arguments.dropFirst())))
        } catch {
            FileHandle.standardError.write(Data("inplaced-bench-status: \(error)\n".utf8))
            exit(1)
        }
    }

    static func run(_ options: BenchOptions) async throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .critical
            return handler
        }
        print("inplaced-bench-status: \(options.pods) pods of 2 containers, \(options.runs) runs each, median first (each run after it)")
        print("load average at start: \(loadAverage()), \(ProcessInfo.processInfo.activeProcessorCount) cores")
        let fixture = try await AgentFixture.start(pods: options.pods)
        print(
            String(
                format: "agent: %d pods running after %.1f s (NodeAgent on the mock runtime, SQLite store)", options.pods,
                fixture.startSeconds))
        let client = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        do {
            if options.only.contains("get") { try await getFigures(options, fixture, client) }
            if options.only.contains("list") { try await listFigures(options, fixture, client) }
            if options.only.contains("reporter") { try await reporterFigures(options, fixture) }
        } catch {
            try? await client.shutdownGracefully()
            await fixture.stop()
            throw error
        }
        try await client.shutdownGracefully()
        await fixture.stop()
        print("load average at end: \(loadAverage())")
    }

    static func podPaths(_ pods: Int) -> [String] { (0..<pods).map { "/v1/pods/default/pod-\($0)" } }

    static func getFigures(_ options: BenchOptions, _ fixture: AgentFixture, _ client: any EventLoopGroup) async throws {
        let paths = podPaths(options.pods)
        print(
            "\nGET /v1/pods/default/pod-N over the unix socket (keep-alive, one request in flight per connection, \(options.seconds) s per run)"
        )
        _ = try await SocketLoad.run(socketPath: fixture.socketPath, paths: paths, connections: 8, seconds: 1, group: client)
        let sample = try await fixture.agent.getPod(namespace: "default", name: "pod-0").map(encode) ?? ByteBuffer()
        for connections in options.connections {
            let (results, cpu) = try await repeated(options.runs) {
                try await SocketLoad.run(
                    socketPath: fixture.socketPath, paths: paths, connections: connections, seconds: options.seconds, group: client)
            }
            printThroughput("status server", connections: connections, results, cpu: cpu, goal: getGoal)
            guard options.ceilings else { continue }
            let fixedPath = fixture.directory + "/hb.sock"
            let (fixed, fixedCPU) = try await CeilingServers.withFixedHummingbird(socketPath: fixedPath, body: sample) {
                try await repeated(options.runs) {
                    try await SocketLoad.run(
                        socketPath: fixedPath, paths: paths, connections: connections, seconds: options.seconds, group: client)
                }
            }
            printThroughput("  ceiling: Hummingbird, fixed body", connections: connections, fixed, cpu: fixedCPU, goal: nil)
            let rawPath = fixture.directory + "/nio.sock"
            let (raw, rawCPU) = try await CeilingServers.withRawNIO(socketPath: rawPath, response: CeilingServers.httpAnswer(body: sample))
            {
                try await repeated(options.runs) {
                    try await SocketLoad.run(
                        socketPath: rawPath, paths: paths, connections: connections, seconds: options.seconds, group: client)
                }
            }
            printThroughput("  ceiling: bare NIO, fixed answer (client limit)", connections: connections, raw, cpu: rawCPU, goal: nil)
        }
        print("  (one pod's body: \(sample.readableBytes) bytes; load average now \(loadAverage()))")
    }

    static func listFigures(_ options: BenchOptions, _ fixture: AgentFixture, _ client: any EventLoopGroup) async throws {
        print(
            "\nGET /v1/pods (all \(options.pods) pods) over the unix socket, \(options.listRequests) sequential requests on one connection per run"
        )
        _ = try await SocketLoad.run(
            socketPath: fixture.socketPath, paths: ["/v1/pods"], connections: 1, requestsPerConnection: 5, group: client)
        let (results, cpu) = try await repeated(options.runs) {
            try await SocketLoad.run(
                socketPath: fixture.socketPath, paths: ["/v1/pods"], connections: 1, requestsPerConnection: options.listRequests,
                group: client)
        }
        let p50 = results.map(\.p50Milliseconds)
        let p99 = results.map(\.p99Milliseconds)
        let errors = results.map(\.errors).reduce(0, +)
        print(
            String(format: "  list: p50 %.2f ms, p99 %.2f ms", Stats.median(p50), Stats.median(p99))
                + " (runs p99 \(Stats.runs(p99, "%.2f")) ms)"
                + String(
                    format: ", body %.2f MiB, CPU %.2f ms per list, errors %d", Double(results.last?.bodyBytes ?? 0) / 1_048_576,
                    cpu * 1000 / Double(max(1, results.map(\.ok).reduce(0, +))), errors))
        print(
            String(
                format: "  goal p99 <= %.0f ms: ratio %.2f (<= 1 meets it)", listGoalMilliseconds, Stats.median(p99) / listGoalMilliseconds)
        )
        print("  (load average now \(loadAverage()))")
    }

    static func reporterFigures(_ options: BenchOptions, _ fixture: AgentFixture) async throws {
        let statuses = try fixture.queuedStatuses().map {
            ReporterDrain.Status(podUID: $0.podUID, namespace: $0.namespace, name: $0.name, json: $0.statusJSON)
        }
        let bytes = statuses.map(\.json.utf8.count).reduce(0, +) / max(1, statuses.count)
        print(
            "\nReporter: \(statuses.count) queued statuses (the agent's outbox, \(bytes) bytes of PodStatus JSON each) failed "
                + "\(options.downFailures) times each against a controller answering 503 (Hummingbird on 127.0.0.1), then answered 200")
        for recovery in [ReporterDrain.Recovery.signalled, .unsignalled] {
            var outcomes: [ReporterDrain.Outcome] = []
            for _ in 0..<options.runs {
                outcomes.append(try await ReporterDrain.run(statuses: statuses, downFailures: options.downFailures, recovery: recovery))
            }
            let seconds = outcomes.map(\.seconds)
            let what =
                recovery == .signalled
                ? "told at once (as after a heartbeat gets through)" : "not told (its own retries only)"
            print(
                "  \(what): " + String(format: "all %d at the controller after %.3f s", statuses.count, Stats.median(seconds))
                    + " (runs \(Stats.runs(seconds, "%.3f")) s; "
                    + String(
                        format: "down %.1f s, %d refused, %d requests in all)", Stats.median(outcomes.map(\.downSeconds)),
                        outcomes.last?.refused ?? 0, outcomes.last?.requests ?? 0))
            print(
                String(
                    format: "    goal <= %.0f s: ratio %.2f (<= 1 meets it)", reporterGoalSeconds,
                    Stats.median(seconds) / reporterGoalSeconds))
        }
        print("  (load average now \(loadAverage()))")
    }

    /// Runs `body` `count` times; returns the results and the process's CPU seconds over them all.
    static func repeated(_ count: Int, _ body: () async throws -> LoadResult) async throws -> ([LoadResult], Double) {
        let cpu0 = cpuSeconds()
        var results: [LoadResult] = []
        for _ in 0..<count { results.append(try await body()) }
        return (results, cpuSeconds() - cpu0)
    }

    static func printThroughput(_ what: String, connections: Int, _ results: [LoadResult], cpu: Double, goal: Double?) {
        let rps = results.map(\.requestsPerSecond)
        let p99 = results.map(\.p99Milliseconds)
        let total = results.map(\.ok).reduce(0, +)
        let errors = results.map(\.errors).reduce(0, +)
        var line =
            "  \(what), " + String(format: "%2d connections: %8.0f req/s", connections, Stats.median(rps))
            + " (runs \(Stats.runs(rps, "%.0f")))"
            + String(
                format: ", p50 %.2f ms, p99 %.2f ms, CPU %.0f µs per request, errors %d", Stats.median(results.map(\.p50Milliseconds)),
                Stats.median(p99), cpu * 1e6 / Double(max(1, total)), errors)
        if let goal { line += String(format: "; goal >= %.0f req/s: ratio %.2f (>= 1 meets it)", goal, Stats.median(rps) / goal) }
        print(line)
    }

    /// The body the status server sends for `pod`: JSON, sorted keys, slashes unescaped.
    static func encode(_ pod: Pod) throws -> ByteBuffer {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return ByteBuffer(bytes: try encoder.encode(pod))
    }

    /// The 1, 5 and 15 minute load averages (`/proc/loadavg`).
    static func loadAverage() -> String {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return "unknown" }
        return text.split(separator: " ").prefix(3).joined(separator: " ")
    }

    /// User and system CPU seconds of this process so far.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec)
            + Double(usage.ru_stime.tv_usec) / 1e6
    }
}

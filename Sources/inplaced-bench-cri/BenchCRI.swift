import CRIRuntime
import ContainerRuntime
import Foundation
import Logging

/// The benchmark behind `scripts/bench-cri.sh` (not a test): the in-place upgrade through the
/// agent on a real containerd, against the raw CRI calls it cannot beat, timed in the same run.
///
/// For 1 pod and for N pods edited together it measures, in rounds alternating app:v1 and v2:
/// the agent's in-place upgrade (manifest edit → new app container running, pod Ready, gate
/// True), the raw in-place floor (StopContainer, RemoveContainer, CreateContainer,
/// StartContainer on sandboxes made here), the agent's recreate (a sidecar env change: new
/// sandbox) and the raw recreate floor; then the same agent measures with a 0.1 s relist.
///
/// Usage: `inplaced-bench-cri [ROUNDS_1 [ROUNDS_N [N]]]` (defaults 5, 3, 20) with
/// `INPLACED_CRI_ENDPOINT` set.
@main
struct BenchCRI {
    static func main() async {
        do {
            try await run()
        } catch {
            print("inplaced-bench-cri: FAILED: \(error)")
            exit(1)
        }
    }

    static func run() async throws {
        let args = CommandLine.arguments.dropFirst().map { Int($0) }
        let rounds1 = args.first.flatMap { $0 } ?? 5
        let roundsN = args.dropFirst().first.flatMap { $0 } ?? 3
        let many = args.dropFirst(2).first.flatMap { $0 } ?? 20
        guard let endpoint = ProcessInfo.processInfo.environment["INPLACED_CRI_ENDPOINT"] else {
            throw BenchError("INPLACED_CRI_ENDPOINT is not set")
        }
        LoggingSystem.bootstrap { label in
            var h = StreamLogHandler.standardError(label: label)
            h.logLevel = ProcessInfo.processInfo.environment["BENCH_LOG"].flatMap { Logger.Level(rawValue: $0) } ?? .critical
            return h
        }
        let cri = try CRIRuntime(endpoint: endpoint, logger: Logger(label: "cri"))
        let connections = Task { try await cri.run() }
        defer {
            cri.shutdown()
            connections.cancel()
        }
        let version = try await cri.version()
        printHeader(version: version, endpoint: endpoint, rounds1: rounds1, roundsN: roundsN)

        let dir = NSTemporaryDirectory() + "ipd-bench-cri-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var failure: Error?
        for (n, rounds) in [(1, rounds1), (many, roundsN)] {
            do {
                try await benchmark(pods: n, rounds: rounds, runtime: cri, dir: "\(dir)/\(n)")
            } catch {
                failure = error
                break
            }
        }
        let left = try await leftovers(cri)
        if !left.isEmpty { print("LEFT BEHIND: \(left.joined(separator: ", "))") }
        if let failure { throw failure }
        if !left.isEmpty { throw BenchError("sandboxes or containers of the benchmark are left") }
    }

    static func printHeader(version: RuntimeVersion, endpoint: String, rounds1: Int, roundsN: Int) {
        print(
            """
            inplaced-bench-cri: in-place upgrade on real CRI against its floor (all times ms)
            runtime: \(version.runtimeName) \(version.runtimeVersion) (CRI \(version.runtimeAPIVersion)) at \(endpoint)
            pods: hostNetwork, app + sidecar (example.local/app, HTTP_PORT=none), InPlaceUpdateReady gate,
                  in-place grace 0, terminationGracePeriodSeconds 5, imagePullPolicy IfNotPresent
            agent: in this process, SQLite store, watched manifest directory (an edited file is read as
                   soon as its write is complete), status read in-process at each change (no polling)
            rows:  agent in-place   manifest edit (app v1<->v2) -> new app container running, gate True, Ready True
                   raw in-place     StopContainer(5 s) + RemoveContainer + CreateContainer + StartContainer
                                    (the agent removes the replaced container after its status shows the new
                                    one, as kubelet leaves it to its container GC: listed apart, not measured)
                   agent recreate   manifest edit (sidecar env) -> new sandbox, both containers running, Ready True
                   raw recreate     StopPodSandbox + RemovePodSandbox + RunPodSandbox + 2 x (CreateContainer + StartContainer)
            cols:  first / p50 / last = pods done, from the edit (or first call); last = the whole batch.
                   Each is the median over the rounds (\(rounds1) for 1 pod, \(roundsN) for many; in-place alternates v1/v2;
                   the agent's round and the floor's take turns going first, after one unmeasured in-place round each).
            """)
    }

    /// One row's numbers: median over rounds of each round's first, p50 and last pod.
    struct Row {
        var label: String
        var rounds: [[Double]] = []
        func median(_ f: ([Double]) -> Double) -> Double {
            let v = rounds.map { f($0.sorted()) }.sorted()
            return v.isEmpty ? .nan : v[v.count / 2]
        }
        var first: Double { median { $0.first ?? .nan } }
        var p50: Double { median { $0[($0.count - 1) / 2] } }
        var last: Double { median { $0.last ?? .nan } }
    }

    /// The CRI calls of one measured window: when its edit was made, when every pod was seen
    /// done, and the calls from the edit to the end of a settle after it (so a call made after
    /// the status showed the pods done, such as the agent's removal of a replaced container, is
    /// kept and told apart).
    struct Window {
        var edit: ContinuousClock.Instant
        var done: ContinuousClock.Instant
        var calls: [TracingRuntime.Call]
        var callsBeforeDone: [TracingRuntime.Call] { calls.filter { $0.start < done } }
        var callsAfterDone: [TracingRuntime.Call] { calls.filter { $0.start >= done } }
    }

    /// Runs `body` with `trace` recording, and goes on recording through a settle after it;
    /// returns its result and the window.
    static func traced<T>(_ trace: TracingRuntime, _ body: () async throws -> T) async throws -> (T, Window) {
        try await settle()
        trace.record(true)
        defer { trace.record(false) }
        let edit = ContinuousClock.now
        let result = try await body()
        // The last pod seen done (the agent's rows: seconds from the edit, per pod), else now.
        let times = result as? [Double]
        let done = times?.max().map { edit + .nanoseconds(Int64($0 * 1e9)) } ?? ContinuousClock.now
        try await settle()
        return (result, Window(edit: edit, done: done, calls: trace.calls))
    }

    static func benchmark(pods n: Int, rounds: Int, runtime: CRIRuntime, dir: String) async throws {
        let rawTrace = TracingRuntime(runtime)
        let raw = RawPods(runtime: rawTrace, count: n, logRoot: dir + "/raw-logs")
        var rows: [String: Row] = [:]
        var windows: [String: Window] = [:]
        var rawCalls: [TracingRuntime.Call] = []
        var agentCalls: [TracingRuntime.Call] = []
        var agentCallsAfter: [TracingRuntime.Call] = []
        func add(_ key: String, _ times: [Double]) { rows[key, default: Row(label: key)].rounds.append(times) }
        try await raw.setUp()
        do {
            for relist in [1.0, 0.1] {
                let trace = TracingRuntime(runtime)
                let agent = AgentPods(runtime: trace, count: n, dir: "\(dir)/agent-\(relist)", relistSeconds: relist)
                let suffix = relist == 1 ? "(relist 1 s)" : "(relist 0.1 s)"
                do {
                    try await agent.setUp()
                    // One in-place round each before the measured ones, not measured: the first
                    // stop and start containerd makes after the set-up take up to twice as long
                    // (196.7 ms for the floor's first round when it went first, 85.8 to 129.9
                    // for its next eight; the agent's first likewise when it went first). Then
                    // the agent and the floor take turns going first in a round, so that neither
                    // always meets the runtime first after the settle.
                    try await settle()
                    _ = try await agent.inPlace(to: "v2")
                    if relist == 1 { _ = try await raw.inPlace(to: "v2") }
                    for r in 0..<rounds {
                        let to = r % 2 == 0 ? "v1" : "v2"
                        let floor = {
                            let (times, window) = try await traced(rawTrace) { try await raw.inPlace(to: to) }
                            add("raw in-place (floor)", times)
                            rawCalls += window.callsBeforeDone
                        }
                        if relist == 1, r % 2 == 0 { try await floor() }
                        let (times, window) = try await traced(trace) { try await agent.inPlace(to: to) }
                        add("agent in-place \(suffix)", times)
                        windows["agent in-place \(suffix)"] = window
                        if relist == 1 {
                            agentCalls += window.callsBeforeDone
                            agentCallsAfter += window.callsAfterDone
                        }
                        if relist == 1, r % 2 == 1 { try await floor() }
                    }
                    for r in 1...rounds {
                        let floor = { add("raw recreate (floor)", try await traced(rawTrace) { try await raw.recreate(revision: r) }.0) }
                        if relist == 1, r % 2 == 0 { try await floor() }
                        let (times, window) = try await traced(trace) { try await agent.recreate(revision: r) }
                        add("agent recreate \(suffix)", times)
                        windows["agent recreate \(suffix)"] = window
                        if relist == 1, r % 2 == 1 { try await floor() }
                    }
                } catch {
                    await agent.tearDown()
                    throw error
                }
                await agent.tearDown()
            }
        } catch {
            await raw.tearDown()
            throw error
        }
        await raw.tearDown()
        report(
            pods: n, rounds: rounds, rows: rows, windows: windows, agentCalls: agentCalls, agentCallsAfter: agentCallsAfter,
            rawCalls: rawCalls)
        print("raw calls redone after a dropped connection to the runtime: \(raw.redone.value)")
        fflush(nil)
    }

    /// A pause before each measure so the relister's and workers' follow-up syncs are over.
    static func settle() async throws { try await Task.sleep(nanoseconds: 1_500_000_000) }

    static func ms(_ s: Double) -> String { String(format: "%8.1f", s * 1000) }

    static func report(
        pods n: Int, rounds: Int, rows: [String: Row], windows: [String: Window], agentCalls: [TracingRuntime.Call],
        agentCallsAfter: [TracingRuntime.Call], rawCalls: [TracingRuntime.Call]
    ) {
        print("")
        print("== \(n) pod\(n == 1 ? "" : "s") upgraded together ==")
        print("measure                             first      p50  last(batch)")
        let order = [
            "agent in-place (relist 1 s)", "raw in-place (floor)", "agent recreate (relist 1 s)", "raw recreate (floor)",
            "agent in-place (relist 0.1 s)", "agent recreate (relist 0.1 s)",
        ]
        for key in order {
            guard let r = rows[key] else { continue }
            print(key.padding(toLength: 32, withPad: " ", startingAt: 0), ms(r.first), ms(r.p50), ms(r.last))
        }
        print("each round's last pod (ms), in order:")
        for key in order {
            guard let r = rows[key] else { continue }
            print("  " + key.padding(toLength: 30, withPad: " ", startingAt: 0), r.rounds.map { ms($0.max() ?? .nan) }.joined())
        }
        func ratio(_ a: String, _ b: String) -> String {
            guard let x = rows[a], let y = rows[b] else { return "n/a" }
            return String(format: "%5.2f (p50)  %5.2f (batch)", x.p50 / y.p50, x.last / y.last)
        }
        print("ratio agent in-place / raw in-place:     \(ratio(order[0], order[1]))")
        print("ratio agent in-place / agent recreate:   \(ratio(order[0], order[2]))")
        print("ratio raw in-place / raw recreate:       \(ratio(order[1], order[3]))")
        if let w = windows[order[0]] {
            printCalls(n: n, rounds: rounds, window: w, agentCalls: agentCalls, agentCallsAfter: agentCallsAfter, rawCalls: rawCalls)
        }
        if n == 1, let w = windows[order[2]] {
            print("timeline of the last agent recreate round (relist 1 s), ms from the edit: start, duration")
            printTimeline(w)
        }
    }

    static func printTimeline(_ w: Window) {
        var marked = false
        for c in w.calls {
            if !marked && c.start >= w.done {
                print(String(format: "  %8.1f          done (the status showed every pod done)", RawPods.seconds(w.done - w.edit) * 1000))
                marked = true
            }
            print(
                String(format: "  %8.1f %7.1f  ", RawPods.seconds(c.start - w.edit) * 1000, RawPods.seconds(c.end - c.start) * 1000)
                    + c.name)
        }
    }

    /// The agent's CRI calls in its in-place rounds (relist 1 s) against the raw calls, both over
    /// every round (count per pod and round, mean and median ms per call), and the timeline of
    /// the last round.
    static func printCalls(
        n: Int, rounds: Int, window: Window, agentCalls: [TracingRuntime.Call], agentCallsAfter: [TracingRuntime.Call],
        rawCalls: [TracingRuntime.Call]
    ) {
        func durations(_ list: [TracingRuntime.Call]) -> [String: [Double]] {
            list.reduce(into: [:]) { acc, c in acc[c.name, default: []].append(RawPods.seconds(c.end - c.start)) }
        }
        func mean(_ v: [Double]) -> String { ms(v.reduce(0, +) / Double(v.count)) }
        func median(_ v: [Double]) -> String { ms(v.sorted()[v.count / 2]) }
        let a = durations(agentCalls)
        let r = durations(rawCalls)
        print("CRI calls of all agent in-place rounds (relist 1 s) vs all raw in-place rounds (ms per call):")
        print("  call                 agent calls/pod  agent mean  agent median    raw mean  raw median")
        for name in a.keys.sorted() {
            let x = a[name]!
            let raw = r[name].map { "\(mean($0))    \(median($0))" } ?? "       -           -"
            print(
                "  " + name.padding(toLength: 20, withPad: " ", startingAt: 0),
                String(format: "%15.1f", Double(x.count) / Double(n * max(1, rounds))), "   ", mean(x), "    ", median(x), "   ", raw)
        }
        // Calls made after the status showed every pod done (outside the measured time; the
        // agent removes a replaced container then, where kubelet leaves it to its container GC).
        let after = durations(agentCallsAfter)
        if !after.isEmpty {
            print("  after the status showed the pods done (not in the measured time):")
            for name in after.keys.sorted() {
                let x = after[name]!
                print(
                    "  " + name.padding(toLength: 20, withPad: " ", startingAt: 0),
                    String(format: "%15.1f", Double(x.count) / Double(n * max(1, rounds))), "   ", mean(x), "    ", median(x))
            }
        }
        if n == 1 {
            print("timeline of that round, ms from the edit: start, duration (after the done mark: not measured)")
            printTimeline(window)
        }
    }

    /// Sandboxes and containers of the benchmark the runtime still holds.
    static func leftovers(_ runtime: CRIRuntime) async throws -> [String] {
        let sandboxes = try await runtime.listPodSandboxes(labelSelector: [BenchPod.label: "true"])
        let names = Set(sandboxes.map(\.id))
        let containers = try await runtime.listContainers(filter: ContainerFilter()).filter {
            names.contains($0.sandboxID) || ($0.labels[KubeletLabels.podName] ?? "").hasPrefix("raw-")
                || ($0.labels[KubeletLabels.podName] ?? "").hasPrefix("bench-")
        }
        return sandboxes.map { "sandbox \($0.name) \($0.id.prefix(12))" } + containers.map { "container \($0.name) \($0.id.prefix(12))" }
    }
}

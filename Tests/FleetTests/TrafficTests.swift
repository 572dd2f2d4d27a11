import AsyncHTTPClient
import EtcdClusterLock
import Foundation
import NIOCore
import NIOHTTP1
import PodAPI
import Synchronization
import Testing

/// Zero traffic loss, shown with real traffic: a CloneSet of 3 pods on real containerd, each
/// with its own IP on a real pod network (bridge + host-local), behind a real nginx kept in sync
/// with the Service's ready Endpoints by scripts/lb-sync.py; HTTP requests run through nginx
/// (loopback only, retries off) while the set is rolled out in place from app:v1 to app:v2.
///
/// Needs `INPLACED_CRI_ENDPOINT` (scripts/containerd-env.sh up, which writes the CNI config),
/// nginx and Debian's containernetworking-plugins; required in CI (`INPLACED_REQUIRE_CRI=1`).
@Suite("Traffic through a rollout", .serialized)
struct TrafficTests {
    static let env = ProcessInfo.processInfo.environment
    static let endpoint = env["INPLACED_CRI_ENDPOINT"]
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// What is missing to run (nil: nothing).
    static var missing: String? {
        guard endpoint != nil else { return "INPLACED_CRI_ENDPOINT is not set" }
        if !FileManager.default.isExecutableFile(atPath: "/usr/sbin/nginx") { return "nginx is not installed" }
        if !FileManager.default.isExecutableFile(atPath: "/usr/lib/cni/bridge") { return "containernetworking-plugins is not installed" }
        return nil
    }

    @Test("required in CI") func required() {
        if Self.env["INPLACED_REQUIRE_CRI"] == "1" { #expect(Self.missing == nil, "\(Self.missing ?? "")") }
    }

    static func template(_ image: String) -> String {
        #"""
        {"metadata":{"labels":{"app":"web"}},"spec":{"terminationGracePeriodSeconds":5,"containers":[{"name":"main","image":"\#(image)",
          "env":[{"name":"HTTP_PORT","value":"8080"}],"ports":[{"name":"http","containerPort":8080}],
          "readinessProbe":{"httpGet":{"path":"/healthz","port":8080},"periodSeconds":1}}]}}
        """#
    }

    /// One request's outcome through the load balancer.
    struct Outcome: Sendable {
        var at: Double
        var body: String?
        var error: String?
    }

    static func epoch(_ text: String?) -> Double? { text.flatMap(Time.parse).map { $0.date.timeIntervalSince1970 } }

    @Test(
        "an in-place rollout behind nginx loses no request",
        .enabled(
            if: missing == nil,
            "needs INPLACED_CRI_ENDPOINT, nginx and the network tools (the skip reason is printed by the test beside it when INPLACED_REQUIRE_CRI=1)"
        ))
    func inPlaceRolloutBehindNginx() async throws {
        try await EtcdClusterLock.exclusive { try await run() }
    }

    func run() async throws {
        let fleet = try Fleet(agents: 1)
        let lbPort = ChildProcess.freePort()
        var lb: ChildProcess?
        try await fleet.closing(also: [lb]) {
            try fleet.startController()
            try fleet.startAgent(0, criEndpoint: Self.endpoint)
            // Whatever happens, the pods go before the agent stops (containerd must be left empty).
            do {
                try await rollout(fleet, lbPort: lbPort, lb: &lb)
            } catch {
                _ = try? await fleet.call(.DELETE, Self.sets + "/web")
                try? await fleet.eventually("the pods are gone", seconds: 60) { try await fleet.pods().isEmpty }
                throw error
            }
            _ = try await fleet.call(.DELETE, Self.sets + "/web")
            try await fleet.eventually("the pods are gone", seconds: 60) { try await fleet.pods().isEmpty }
        }
    }

    static let sets = "/apis/apps.kruise.io/v1alpha1/namespaces/default/clonesets"

    func rollout(_ fleet: Fleet, lbPort: Int, lb: inout ChildProcess?) async throws {
        let sets = Self.sets
        try await fleet.eventually("a Ready node") {
            Fleet.condition(try await fleet.node("node-1"), "Ready")?.string("status") == "True"
        }
        let service =
            #"{"apiVersion":"v1","kind":"Service","metadata":{"name":"web"},"spec":{"selector":{"app":"web"},"ports":[{"port":80,"targetPort":"http"}]}}"#
        #expect(try await fleet.call(.POST, "/api/v1/namespaces/default/services", body: service).code == 201)
        let set = #"""
            {"apiVersion":"apps.kruise.io/v1alpha1","kind":"CloneSet","metadata":{"name":"web"},
             "spec":{"replicas":3,"selector":{"matchLabels":{"app":"web"}},"template":\#(Self.template("example.local/app:v1")),
               "updateStrategy":{"type":"InPlaceIfPossible","maxUnavailable":1,"inPlaceUpdateStrategy":{"gracePeriodSeconds":2}}}}
            """#
        let created = try await fleet.call(.POST, sets, body: set)
        #expect(created.code == 201, "\(created.body.jsonText())")
        try await fleet.eventually("3 pods serving with their own IPs", seconds: 90) {
            let pods = try await fleet.pods()
            return pods.count == 3 && pods.allSatisfy(CloneSetScenario.serving)
                && Set(pods.compactMap { $0["status"]?.string("podIP") }).count == 3
        }
        let before = try await fleet.pods()
        let tokenFile = fleet.dir + "/admin.token"
        try "admin-token\n".write(toFile: tokenFile, atomically: true, encoding: .utf8)
        let lbLog = fleet.dir + "/lb.jsonl"
        lb = try ChildProcess(
            executable: "/usr/bin/env",
            arguments: [
                "python3", Self.root + "/scripts/lb-sync.py", "--server", fleet.url, "--token-file", tokenFile, "--service", "web",
                "--listen", "127.0.0.1:\(lbPort)", "--dir", fleet.dir + "/lb", "--log", lbLog,
            ], log: fleet.dir + "/lb.log")
        let url = "http://127.0.0.1:\(lbPort)/version"
        try await fleet.eventually("nginx serves v1") { try await Self.get(url).body == "v1" }

        // Load: sequential requests on fresh connections, bounded in count and time.
        let stop = Mutex(false)
        let load = Task { () -> [Outcome] in
            var out: [Outcome] = []
            let until = Date().addingTimeInterval(120)
            while !stop.withLock({ $0 }), out.count < 20_000, Date() < until {
                let at = Date().timeIntervalSince1970
                do {
                    let answer = try await Self.get(url)
                    out.append(
                        Outcome(
                            at: at, body: answer.code == 200 ? answer.body : nil, error: answer.code == 200 ? nil : "HTTP \(answer.code)"))
                } catch {
                    out.append(Outcome(at: at, error: "\(error)"))
                }
                try? await Task.sleep(for: .milliseconds(5))
            }
            return out
        }
        try await Task.sleep(for: .seconds(1))
        let patch = #"{"spec":{"template":\#(Self.template("example.local/app:v2"))}}"#
        let patched = try await fleet.call(.PATCH, sets + "/web", body: patch, contentType: "application/merge-patch+json")
        #expect(patched.code == 200)
        try await fleet.eventually("3 pods serving v2", seconds: 120) {
            let pods = try await fleet.pods()
            return pods.count == 3
                && pods.allSatisfy { CloneSetScenario.serving($0) && CloneSetScenario.image($0) == "example.local/app:v2" }
        }
        try await fleet.eventually("nginx has the 3 pods again") {
            (try? String(contentsOfFile: lbLog, encoding: .utf8))?.split(separator: "\n").last
                .flatMap { try? JSONValue.parse(Array($0.utf8)) }?.array("ready").count == 3
        }
        try await Task.sleep(for: .seconds(1))
        stop.withLock { $0 = true }
        let outcomes = await load.value

        // No request lost; both versions served; v2 at the end.
        let failed = outcomes.filter { $0.error != nil }
        print("traffic: \(outcomes.count) requests through nginx during the rollout, \(failed.count) failed")
        #expect(failed.isEmpty, "\(failed.count) of \(outcomes.count) requests failed: \(failed.prefix(5).map { $0.error ?? "" })")
        #expect(outcomes.count >= 200, "only \(outcomes.count) requests")
        #expect(outcomes.contains { $0.body == "v1" } && outcomes.contains { $0.body == "v2" })
        #expect(outcomes.suffix(20).allSatisfy { $0.body == "v2" })

        // In place: the same pods, IPs and sandboxes; a new container each.
        let after = try await fleet.pods()
        #expect(Set(after.map { $0["metadata"]?.string("uid") ?? "" }) == Set(before.map { $0["metadata"]?.string("uid") ?? "" }))
        #expect(Set(after.compactMap { $0["status"]?.string("podIP") }) == Set(before.compactMap { $0["status"]?.string("podIP") }))

        // From the timestamps: each pod left nginx's servers before its old container stopped,
        // and came back only after its new container started.
        let changes = try String(contentsOfFile: lbLog, encoding: .utf8).split(separator: "\n").compactMap {
            try? JSONValue.parse(Array($0.utf8))
        }
        for pod in after {
            let name = pod["metadata"]?.string("name") ?? ""
            let ip = pod["status"]?.string("podIP") ?? ""
            let status = pod["status"]?.array("containerStatuses").first
            let stopped = try #require(Self.epoch(status?["lastState"]?["terminated"]?.string("finishedAt")), "\(name): no lastState")
            let started = try #require(Self.epoch(status?["state"]?["running"]?.string("startedAt")))
            func isReady(_ change: JSONValue) -> Bool { change.array("ready").contains { $0.stringValue?.hasPrefix(ip + ":") == true } }
            let left = try #require(
                changes.indices.first { $0 > 0 && isReady(changes[$0 - 1]) && !isReady(changes[$0]) }, "\(name) never left nginx")
            let back = try #require(changes.indices.first { $0 > left && isReady(changes[$0]) }, "\(name) never came back")
            let leftAt = Double(changes[left]["t"]?.jsonText() ?? "") ?? 0
            let backAt = Double(changes[back]["t"]?.jsonText() ?? "") ?? 0
            print(
                "traffic: \(name) left nginx at \(leftAt), old container stopped at \(stopped) (s), new started \(started) (s), back at \(backAt)"
            )
            // finishedAt and startedAt have whole seconds: stopped <= true stop time.
            #expect(leftAt < stopped, "\(name) left nginx at \(leftAt), after its old container stopped (\(stopped))")
            #expect(backAt >= started, "\(name) came back at \(backAt), before its new container started (\(started))")
        }
    }

    /// GET `url` on a new connection (`Connection: close`), 5 s at most.
    static func get(_ url: String) async throws -> (code: Int, body: String) {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Connection", value: "close")
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(5))
        let body = try await response.body.collect(upTo: 1 << 16)
        return (Int(response.status.code), String(buffer: body).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}

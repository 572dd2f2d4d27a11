import AsyncHTTPClient
import EtcdClusterLock
import Foundation
import NIOCore
import NIOHTTP1
import PodAPI

/// A controller and `agents` inplaced nodes (mock runtime), real processes on loopback, in a temp
/// dir; admin calls through the API with the admin token.
final class Fleet: @unchecked Sendable {
    let dir: String
    let port: Int
    let etcd: String?
    let replicas: Int
    var controllers: [ChildProcess?] = []
    var agents: [ChildProcess?] = []
    var ports: [Int] = []

    /// The replica the agents talk to.
    var agentReplica = 0

    var url: String { "http://127.0.0.1:\(ports[agentReplica])" }

    /// - Parameters:
    ///   - etcd: etcd endpoints (`host:port,...`) for an etcd-backed fleet; nil: SQLite.
    ///   - replicas: controller replicas (etcd only; agents talk to the first).
    init(agents count: Int, etcd: String? = nil, replicas: Int = 1) throws {
        dir = NSTemporaryDirectory() + "fleet-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        port = ChildProcess.freePort()
        self.etcd = etcd
        self.replicas = replicas
        var tokens = "admin-token,admin,0,\"system:masters\"\n"
        for i in 1...count {
            tokens += "node\(i)-token,system:node:node-\(i),\(i),\"system:nodes\"\n"
            try "node\(i)-token\n".write(toFile: "\(dir)/node-\(i).token", atomically: true, encoding: .utf8)
        }
        try tokens.write(toFile: dir + "/tokens.csv", atomically: true, encoding: .utf8)
        ports = (0..<replicas).map { $0 == 0 ? port : ChildProcess.freePort() }
        controllers = Array(repeating: nil, count: replicas)
        agents = Array(repeating: nil, count: count)
    }

    func startController(_ i: Int = 0, grace: Int = 6) throws {
        var args = [
            "--secure-port", "\(ports[i])", "--token-auth-file", dir + "/tokens.csv", "--node-monitor-grace-period", "\(grace)",
            "--node-monitor-period", "1", "--identity", "replica-\(i)", "--bookmark-seconds", "5",
        ]
        if let etcd {
            args += ["--etcd-servers", etcd, "--etcd-prefix", "/fleet-\(dir.suffix(8))/"]
        } else {
            args += ["--state-dir", dir + "/controller"]
        }
        controllers[i] = try ChildProcess(
            executable: ChildProcess.binDirectory + "/inplace-controller", arguments: args, log: "\(dir)/controller-\(i).log")
    }

    /// - Parameter criEndpoint: the agent runs its pods on this CRI runtime (real containerd)
    ///   instead of the mock.
    func startAgent(_ i: Int, criEndpoint: String? = nil) throws {
        let node = "node-\(i + 1)"
        let state = "\(dir)/\(node)"
        try FileManager.default.createDirectory(atPath: state + "/manifests", withIntermediateDirectories: true)
        agents[i] = try ChildProcess(
            executable: ChildProcess.binDirectory + "/inplaced",
            arguments: [
                "--state-dir", state, "--manifest-dir", state + "/manifests", "--socket", state + "/sock", "--node-name", node,
                "--controller-url", url, "--controller-token-file", "\(dir)/\(node).token", "--node-status-period", "1",
            ] + (criEndpoint.map { ["--runtime", "cri", "--runtime-endpoint", $0] } ?? []), log: "\(state).log")
    }

    /// The replica whose log says it leads now (the last "leading" or "lost" line decides).
    func leader() -> Int? {
        for (i, c) in controllers.enumerated() {
            guard let c, c.process.isRunning else { continue }
            let lines = c.log.split(separator: "\n").filter { $0.contains("leader election: leading") || $0.contains("leadership lost") }
            if lines.last?.contains("leading") == true { return i }
        }
        return nil
    }

    /// Runs `body` with a fleet of `agents` (none started) and its first controller started,
    /// holding the fleets' lock; every process is stopped and the directory removed afterwards.
    static func with(agents: Int, etcd: String? = nil, replicas: Int = 1, _ body: (Fleet) async throws -> Void) async throws {
        try await EtcdClusterLock.exclusive {
            let fleet = try Fleet(agents: agents, etcd: etcd, replicas: replicas)
            try await fleet.closing {
                try fleet.startController()
                try await body(fleet)
            }
        }
    }

    /// Runs `body`, then stops every process and removes the directory, whether `body` threw or
    /// not (a `defer` cannot wait for the processes without blocking its thread).
    /// `also`: processes of the test's own (read after `body`), stopped first.
    func closing<T>(also: @autoclosure () -> [ChildProcess?] = [], _ body: () async throws -> T) async throws -> T {
        let result: Result<T, any Error>
        do { result = .success(try await body()) } catch { result = .failure(error) }
        for p in also() { await p?.stop() }
        await stopAll()
        remove()
        return try result.get()
    }

    func stopAll() async {
        for a in agents { await a?.stop() }
        for c in controllers { await c?.stop() }
    }

    func remove() { try? FileManager.default.removeItem(atPath: dir) }

    // MARK: API calls

    /// One call as admin (or with `token`); the answer's code and JSON body.
    func call(
        _ method: HTTPMethod, _ path: String, body: String? = nil, contentType: String = "application/json", token: String = "admin-token",
        replica: Int = 0
    )
        async throws -> (code: Int, body: JSONValue)
    {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(ports[replica])" + path)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Content-Type", value: contentType)
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let bytes = try await response.body.collect(upTo: 64 * 1024 * 1024)
        let json = (try? JSONValue.parse(Array(bytes.readableBytesView))) ?? .string(String(buffer: bytes))
        return (Int(response.status.code), json)
    }

    func pods() async throws -> [JSONValue] { try await call(.GET, "/api/v1/pods").body.array("items") }

    func pod(_ name: String) async throws -> JSONValue { try await call(.GET, "/api/v1/namespaces/default/pods/\(name)").body }

    func node(_ name: String) async throws -> JSONValue { try await call(.GET, "/api/v1/nodes/\(name)").body }

    /// Waits (polling every 200 ms, up to `seconds`) until `condition` holds.
    func eventually(_ what: String, seconds: Double = 30, _ condition: () async throws -> Bool) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if (try? await condition()) == true { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        var tails = ""
        for file in ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted() where file.hasSuffix(".log") {
            let text = (try? String(contentsOfFile: "\(dir)/\(file)", encoding: .utf8)) ?? ""
            tails += "\n--- \(file)\n" + text.split(separator: "\n").suffix(12).joined(separator: "\n")
        }
        throw FleetTimeout(what: what, logs: tails)
    }

    static func podJSON(_ name: String, image: String = "nginx:1.25", command: [String]? = nil, restartPolicy: String = "Always") -> String
    {
        let cmd = command.map { ",\"command\":[" + $0.map { "\"\($0)\"" }.joined(separator: ",") + "]" } ?? ""
        return
            #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"\#(name)","labels":{"app":"fleet"}},"spec":{"restartPolicy":"\#(restartPolicy)","readinessGates":[{"conditionType":"InPlaceUpdateReady"}],"containers":[{"name":"app","image":"\#(image)"\#(cmd)}]}}"#
    }

    static func condition(_ object: JSONValue, _ type: String) -> JSONValue? {
        object["status"]?.array("conditions").first { $0.string("type") == type }
    }
}

struct FleetTimeout: Error, CustomStringConvertible {
    var what: String
    var logs: String
    var description: String { "timed out waiting for \(what); the logs end:\(logs)" }
}

import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import PodAPI
import Synchronization

/// The shared state and calls of ``FleetBench``.
final class Bench: Sendable {
    let http: HTTPClient
    let server: String
    private let requests = Atomic<Int>(0)
    /// Requests sent again after a 5xx or no answer.
    let retries = Atomic<Int>(0)
    private let state = Mutex<(patched: [String: Date], running: Set<String>, latencies: [Double], start: Date)>(
        ([:], [], [], .distantFuture))

    init(http: HTTPClient, server: String) {
        self.http = http
        self.server = server
    }

    var requestCount: Int { requests.load(ordering: .relaxed) }
    var retryCount: Int { retries.load(ordering: .relaxed) }
    var runningCount: Int { state.withLock { $0.running.count } }
    var latencies: [Double] { state.withLock { $0.latencies } }
    func markStart(_ t: Date) { state.withLock { $0.start = t } }

    @discardableResult
    func call(_ method: HTTPMethod, _ path: String, _ body: JSONValue? = nil, contentType: String = "application/json") async throws -> Int
    {
        var request = HTTPClientRequest(url: server + path)
        request.method = method
        request.headers.add(name: "Content-Type", value: contentType)
        if let body { request.body = .bytes(ByteBuffer(bytes: body.jsonBytes())) }
        let response = try await http.execute(request, timeout: .seconds(60))
        _ = try await response.body.collect(upTo: 64 << 20)
        requests.add(1, ordering: .relaxed)
        return Int(response.status.code)
    }

    func forEach(_ range: Range<Int>, concurrency: Int, _ body: @escaping @Sendable (Int) async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            var next = range.lowerBound
            for _ in 0..<min(concurrency, range.count) {
                let i = next
                next += 1
                group.addTask { try await body(i) }
            }
            while try await group.next() != nil {
                if next < range.upperBound {
                    let i = next
                    next += 1
                    group.addTask { try await body(i) }
                }
            }
        }
    }

    func register(_ node: String) async throws {
        let now = JSONValue.string(Time(Date()).description)
        let body: JSONValue = [
            "apiVersion": "v1", "kind": "Node", "metadata": ["name": .string(node), "labels": ["kubernetes.io/hostname": .string(node)]],
            "status": [
                "capacity": ["pods": "110"], "allocatable": ["pods": "110"],
                "conditions": [
                    ["type": "Ready", "status": "True", "reason": "KubeletReady", "lastHeartbeatTime": now, "lastTransitionTime": now]
                ],
                "nodeInfo": ["kubeletVersion": "fleet-bench"],
            ],
        ]
        let code = try await call(.POST, "/api/v1/nodes", body)
        if code != 201 && code != 409 { throw BenchError(message: "register \(node): HTTP \(code)") }
        // The status is a subresource: set it as kubelet does after registering.
        try await call(
            .PATCH, "/api/v1/nodes/\(node)/status", ["status": body["status"]!], contentType: "application/strategic-merge-patch+json")
        try await renew(node, create: true)
    }

    func renew(_ node: String, create: Bool = false) async throws {
        let lease: JSONValue = [
            "apiVersion": "coordination.k8s.io/v1", "kind": "Lease", "metadata": ["name": .string(node), "namespace": "kube-node-lease"],
            "spec": ["holderIdentity": .string(node), "leaseDurationSeconds": 40, "renewTime": .string(Time(Date()).description)],
        ]
        if create {
            try await call(.POST, "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases", lease)
        } else {
            try await call(.PUT, "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/\(node)", lease)
        }
    }

    func createPod(_ name: String) async throws {
        let pod: JSONValue = [
            "apiVersion": "v1", "kind": "Pod", "metadata": ["name": .string(name)],
            "spec": ["containers": [["name": "app", "image": "nginx:1.25"]]],
        ]
        // A 5xx (the store did not answer in time) is retried, as a client would; a 409 after a
        // retry means the first attempt was applied after all.
        for attempt in 0..<10 {
            // No answer at all (a connection not to be had in time) counts as a 5xx.
            let code = (try? await call(.POST, "/api/v1/namespaces/default/pods", pod)) ?? 599
            if code == 201 || (code == 409 && attempt > 0) { return }
            guard code >= 500 else { throw BenchError(message: "create \(name): HTTP \(code)") }
            retries.add(1, ordering: .relaxed)
            try await Task.sleep(for: .milliseconds(200 << min(attempt, 4)))
        }
        throw BenchError(message: "create \(name): still failing after 10 attempts")
    }

    /// A simulated kubelet: lease every 10 s; watch its pods; mark each new one Running.
    func runNode(_ node: String) async {
        let leases = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(10))
                try? await renew(node)
            }
        }
        defer { leases.cancel() }
        var seen: [String: SimulatedPod] = [:]
        let selector = "spec.nodeName=\(node)".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        while !Task.isCancelled {
            do {
                var request = HTTPClientRequest(url: server + "/api/v1/pods?watch=true&fieldSelector=\(selector)")
                request.method = .GET
                let response = try await http.execute(request, deadline: .distantFuture)
                var pending: [UInt8] = []
                for try await chunk in response.body {
                    for byte in chunk.readableBytesView {
                        guard byte == UInt8(ascii: "\n") else {
                            pending.append(byte)
                            continue
                        }
                        let line = pending
                        pending.removeAll(keepingCapacity: true)
                        guard let event = try? JSONValue.parse(line), let object = event["object"],
                            ["ADDED", "MODIFIED"].contains(event.string("type") ?? ""),
                            let name = object["metadata"]?.string("name"), object["metadata"]?["deletionTimestamp"] == nil
                        else { continue }
                        // As kubelet: the spec's image running, Ready when every readiness gate is True.
                        let image = object["spec"]?.array("containers").first?.string("image") ?? ""
                        let gates = object["spec"]?.array("readinessGates").compactMap { $0.string("conditionType") } ?? []
                        let conditions = object["status"]?.array("conditions") ?? []
                        let ready = gates.allSatisfy { gate in
                            conditions.contains { $0.string("type") == gate && $0.string("status") == "True" }
                        }
                        let want = SimulatedPod(image: image, ready: ready)
                        if seen[name] == want { continue }
                        let restarts = seen[name].map { $0.image == image ? $0.restarts : $0.restarts + 1 } ?? 0
                        seen[name] = SimulatedPod(image: image, ready: ready, restarts: restarts)
                        Task { await self.markRunning(name, node: node, image: image, ready: ready, restarts: restarts) }
                    }
                }
            } catch {
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    func markRunning(_ name: String, node: String, image: String = "nginx:1.25", ready: Bool = true, restarts: Int = 0) async {
        let now = JSONValue.string(Time(Date()).description)
        let status = ready ? "True" : "False"
        let patch: JSONValue = [
            "status": [
                "phase": "Running", "podIP": "10.0.0.1", "startTime": now,
                "conditions": [["type": "Ready", "status": .string(status)], ["type": "ContainersReady", "status": "True"]],
                "$setElementOrder/conditions": [["type": "Ready"], ["type": "ContainersReady"]],
                "containerStatuses": [
                    [
                        "name": "app", "image": .string(image), "imageID": .string("sha256:\(image)"),
                        "containerID": .string("containerd://\(name)-\(restarts)"), "ready": true,
                        "restartCount": .integer(Int64(restarts)), "state": ["running": ["startedAt": now]],
                    ]
                ],
            ]
        ]
        for attempt in 0..<20 {
            if attempt > 0 { retries.add(1, ordering: .relaxed) }
            if let code = try? await call(
                .PATCH, "/api/v1/namespaces/default/pods/\(name)/status", patch, contentType: "application/strategic-merge-patch+json"),
                code == 200
            {
                state.withLock { $0.patched[name] = Date() }
                return
            }
            try? await Task.sleep(for: .milliseconds(200 << min(attempt, 4)))
        }
    }

    /// The admin's watch of every pod: counts Running pods and measures event latency.
    func watchAll() async {
        while !Task.isCancelled {
            do {
                var request = HTTPClientRequest(url: server + "/api/v1/pods?watch=true")
                request.method = .GET
                let response = try await http.execute(request, deadline: .distantFuture)
                var pending: [UInt8] = []
                for try await chunk in response.body {
                    for byte in chunk.readableBytesView {
                        guard byte == UInt8(ascii: "\n") else {
                            pending.append(byte)
                            continue
                        }
                        let line = pending
                        pending.removeAll(keepingCapacity: true)
                        guard let event = try? JSONValue.parse(line), let object = event["object"],
                            object["status"]?.string("phase") == "Running", let name = object["metadata"]?.string("name")
                        else { continue }
                        let at = Date()
                        state.withLock { s in
                            if s.running.insert(name).inserted, let patched = s.patched[name] {
                                s.latencies.append(max(0, at.timeIntervalSince(patched)))
                            }
                        }
                    }
                }
            } catch {
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }
}

/// What a simulated node last reported of a pod.
struct SimulatedPod: Equatable {
    var image: String
    var ready: Bool
    var restarts = 0

    static func == (a: SimulatedPod, b: SimulatedPod) -> Bool { a.image == b.image && a.ready == b.ready }
}

struct BenchError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

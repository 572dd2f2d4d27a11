import AsyncHTTPClient
import Foundation
import NIOCore
import PodAPI

/// The CloneSet rollout benchmark (`--cloneset PODS`): a CloneSet of PODS replicas
/// (InPlaceIfPossible, maxUnavailable, grace 0) is created and becomes ready, then its image
/// changes and the time until every pod is updated and ready is measured, against its floor:
/// the waves (PODS / maxUnavailable, rounded up) times the in-place update of a one-pod set
/// measured in the same run. API requests per pod updated come from the controller's
/// `apiserver_request_total` (every client: controller loops, nodes, this driver).
struct RolloutBench {
    let bench: Bench

    static func manifest(_ name: String, replicas: Int, maxUnavailable: Int, image: String) -> JSONValue {
        [
            "apiVersion": "apps.kruise.io/v1beta1", "kind": "CloneSet", "metadata": ["name": .string(name)],
            "spec": [
                "replicas": .integer(Int64(replicas)), "selector": ["matchLabels": ["app": .string(name)]],
                "template": [
                    "metadata": ["labels": ["app": .string(name)]],
                    "spec": ["containers": [["name": "app", "image": .string(image)]]],
                ],
                "updateStrategy": [
                    "type": "RollingUpdate",
                    "rollingUpdate": [
                        "podUpdatePolicy": "InPlaceIfPossible", "maxUnavailable": .integer(Int64(maxUnavailable)),
                        "inPlaceUpdateStrategy": ["gracePeriodSeconds": 0],
                    ],
                ],
            ],
        ]
    }

    static let path = "/apis/apps.kruise.io/v1beta1/namespaces/default/clonesets"

    /// The set's status, with `observedGeneration` compared by the caller to `metadata.generation`.
    func object(_ name: String) async throws -> JSONValue {
        var request = HTTPClientRequest(url: bench.server + Self.path + "/\(name)")
        request.method = .GET
        let response = try await bench.http.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 1 << 20)
        return try JSONValue.parse(Array(body.readableBytesView))
    }

    /// Waits (polling every 100 ms, at most 1800 s) until `done(status)`; the seconds it took.
    func wait(_ name: String, since: Date, _ done: (JSONValue) -> Bool) async throws -> Double {
        while Date().timeIntervalSince(since) < 1800 {
            if let o = try? await object(name), done(o) { return Date().timeIntervalSince(since) }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw BenchError(message: "\(name): not done within 1800 s")
    }

    /// The sum of `apiserver_request_total` (nil when the server has no /metrics).
    func requestsServed() async -> Double? {
        var request = HTTPClientRequest(url: bench.server + "/metrics")
        request.method = .GET
        guard let response = try? await bench.http.execute(request, timeout: .seconds(30)), response.status == .ok,
            let body = try? await response.body.collect(upTo: 64 << 20)
        else { return nil }
        return String(buffer: body).split(separator: "\n").filter { $0.hasPrefix("apiserver_request_total{") }
            .compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }.reduce(0, +)
    }

    /// Creates `name`, waits for it to be ready, changes its image and waits for the rollout.
    /// - Returns: seconds to ready, seconds of the rollout, requests served during the rollout.
    func roll(_ name: String, replicas: Int, maxUnavailable: Int) async throws -> (ready: Double, rollout: Double, requests: Double?) {
        let t0 = Date()
        try await bench.call(.POST, Self.path, Self.manifest(name, replicas: replicas, maxUnavailable: maxUnavailable, image: "nginx:1.25"))
        let ready = try await wait(name, since: t0) {
            $0["status"]?.integer("readyReplicas") == Int64(replicas) && $0["status"]?.integer("availableReplicas") == Int64(replicas)
        }
        let oldRevision = try await object(name)["status"]?.string("updateRevision")
        let before = await requestsServed()
        let t1 = Date()
        let patch: JSONValue = ["spec": ["template": ["spec": ["containers": [["name": "app", "image": "nginx:1.26"]]]]]]
        try await bench.call(.PATCH, Self.path + "/\(name)", patch, contentType: "application/merge-patch+json")
        // Done once the controller has seen the change (observedGeneration, a new updateRevision)
        // and every pod is on it and available.
        let rollout = try await wait(name, since: t1) { o in
            let s = o["status"]
            return (s?.integer("observedGeneration") ?? 0) >= (o["metadata"]?.integer("generation") ?? 1)
                && s?.string("updateRevision") != oldRevision && s?.integer("updatedReplicas") == Int64(replicas)
                && s?.integer("updatedAvailableReplicas") == Int64(replicas)
        }
        let after = await requestsServed()
        return (ready, rollout, before.flatMap { b in after.map { $0 - b } })
    }

    func run(pods: Int, maxUnavailable: Int) async throws {
        let single = try await roll("floor", replicas: 1, maxUnavailable: 1)
        print(String(format: "one pod: ready in %.2f s, updated in place in %.3f s", single.ready, single.rollout))
        let big = try await roll("bench", replicas: pods, maxUnavailable: maxUnavailable)
        let waves = (pods + maxUnavailable - 1) / maxUnavailable
        let floor = Double(waves) * single.rollout
        print(String(format: "%d pods: created and ready in %.1f s", pods, big.ready))
        print(
            String(
                format: "rollout of %d pods, maxUnavailable %d, grace 0: %.2f s; floor %d waves x %.3f s = %.2f s; ratio %.2f", pods,
                maxUnavailable, big.rollout, waves, single.rollout, floor, big.rollout / floor))
        if let requests = big.requests {
            print(
                String(
                    format: "API requests during the rollout: %.0f, %.1f per pod updated (every client)", requests, requests / Double(pods))
            )
        }
    }
}

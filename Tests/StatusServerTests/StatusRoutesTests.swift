import CLIKit
import Foundation
import PodAPI
import PodFixtures
import Testing

/// Each route of the socket, through the real CLIKit client.
@Suite("Status socket routes")
struct StatusRoutesTests {
    static func provider() -> FakeProvider {
        var web = Fixtures.pod(
            "web", statuses: [Fixtures.running("app", restarts: 1, lastFinishedAgo: 240)],
            conditions: Fixtures.conditions(ready: true, gate: true),
            readinessGates: [WellKnown.inPlaceUpdateReady])
        web.status?.containerStatuses?[0].imageID = Fixtures.nginxDigestNew
        let db = Fixtures.pod("db", namespace: "data", statuses: [Fixtures.running("postgres", image: "postgres:16")])
        return FakeProvider(
            pods: [web, db],
            updates: ["default/web": [Fixtures.completedUpdate()]],
            events: [
                Fixtures.event("Pulled", pod: "web", message: "Successfully pulled image \"nginx:1.26\"", firstAgo: 280),
                Fixtures.event("Started", pod: "db", namespace: "data", message: "Started container postgres", firstAgo: 100),
            ],
            metrics: "# TYPE inplaced_pods gauge\ninplaced_pods 2\n")
    }

    func object(_ data: Data) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test("GET /v1/pods is a PodList of every pod, sorted")
    func listPods() async throws {
        try await ServerHarness.withServer(Self.provider()) { _, client in
            let list = try await client.pods()
            #expect(list.kind == "PodList")
            #expect(list.items.map(\.key) == ["data/db", "default/web"])

            let (code, body) = try await client.fetch("/v1/pods")
            #expect(code == 200)
            let json = try object(body)
            #expect(json["kind"] as? String == "PodList")
            #expect(json["apiVersion"] as? String == "v1")
            #expect((json["items"] as? [Any])?.count == 2)
        }
    }

    @Test("GET /v1/pods/{ns}/{name} uses the Kubernetes field names, keys sorted")
    func getPodFieldNames() async throws {
        try await ServerHarness.withServer(Self.provider()) { _, client in
            let pod = try await client.pod(namespace: "default", name: "web")
            #expect(pod.metadata.name == "web")
            #expect(pod.status?.containerStatuses?.first?.restartCount == 1)

            let (code, body) = try await client.fetch("/v1/pods/default/web")
            #expect(code == 200)
            let text = String(decoding: body, as: UTF8.self)
            #expect(text.hasPrefix(#"{"apiVersion":"v1","kind":"Pod","metadata":{"#))
            let json = try object(body)
            let spec = try #require(json["spec"] as? [String: Any])
            let gates = try #require(spec["readinessGates"] as? [[String: Any]])
            #expect(gates.first?["conditionType"] as? String == "InPlaceUpdateReady")
            let status = try #require(json["status"] as? [String: Any])
            #expect(status["phase"] as? String == "Running")
            #expect(status["podIP"] as? String == "10.0.0.5")
            #expect(status["hostIP"] as? String == "10.0.0.5")
            #expect(status["startTime"] as? String == "2027-01-15T07:00:00Z")
            let cs = try #require((status["containerStatuses"] as? [[String: Any]])?.first)
            #expect(cs["imageID"] as? String == Fixtures.nginxDigestNew)
            #expect(cs["restartCount"] as? Int == 1)
            #expect(cs["containerID"] as? String == "mock://app-0123456789abcdef")
            #expect(cs["started"] as? Bool == true)
            let state = try #require(cs["state"] as? [String: Any])
            #expect((state["running"] as? [String: Any])?["startedAt"] as? String == "2027-01-15T07:55:00Z")
            let last = try #require((cs["lastState"] as? [String: Any])?["terminated"] as? [String: Any])
            #expect(last["exitCode"] as? Int == 0)
            #expect(last["finishedAt"] as? String == "2027-01-15T07:56:00Z")
            let conditions = try #require(status["conditions"] as? [[String: Any]])
            let gate = try #require(conditions.first { $0["type"] as? String == "InPlaceUpdateReady" })
            #expect(gate["status"] as? String == "True")
            #expect(gate.keys.contains("lastProbeTime"))
        }
    }

    @Test("an unknown pod is a 404 Status object, printed as kubectl does")
    func podNotFound() async throws {
        try await ServerHarness.withServer(Self.provider()) { _, client in
            let (code, body) = try await client.fetch("/v1/pods/default/nope")
            #expect(code == 404)
            let json = try object(body)
            #expect(json["kind"] as? String == "Status")
            #expect(json["apiVersion"] as? String == "v1")
            #expect(json["status"] as? String == "Failure")
            #expect(json["message"] as? String == #"pods "nope" not found"#)
            #expect(json["reason"] as? String == "NotFound")
            #expect(json["code"] as? Int == 404)

            // The same pod name in another namespace is another pod.
            let error = await #expect(throws: StatusClientError.self) {
                try await client.pod(namespace: "data", name: "web")
            }
            #expect(error?.description == #"Error from server (NotFound): pods "web" not found"#)

            let updatesError = await #expect(throws: StatusClientError.self) {
                try await client.updates(namespace: "default", name: "nope")
            }
            #expect(updatesError?.description == #"Error from server (NotFound): pods "nope" not found"#)
        }
    }

    @Test("an unknown path is a 404 Status object")
    func unknownPath() async throws {
        try await ServerHarness.withServer(Self.provider()) { _, client in
            for path in ["/v2/things", "/", "/v1/pods/default/web/logs"] {
                let (code, body) = try await client.fetch(path)
                #expect(code == 404, "\(path)")
                let json = try object(body)
                #expect(json["kind"] as? String == "Status")
                #expect(json["reason"] as? String == "NotFound")
                #expect(json["code"] as? Int == 404)
            }
        }
    }

    @Test("GET /v1/pods/{ns}/{name}/updates is {items: [InPlaceUpdate]}")
    func updates() async throws {
        try await ServerHarness.withServer(Self.provider()) { _, client in
            let updates = try await client.updates(namespace: "default", name: "web")
            #expect(updates == [Fixtures.completedUpdate()])

            let (_, body) = try await client.fetch("/v1/pods/default/web/updates")
            let items = try #require(try object(body)["items"] as? [[String: Any]])
            #expect(items.count == 1)
            #expect(items[0]["fromImage"] as? String == "nginx:1.25")
            #expect(items[0]["toImage"] as? String == "nginx:1.26")
            #expect(items[0]["step"] as? String == "Completed")
            #expect(items[0]["oldImageID"] as? String == Fixtures.nginxDigestOld)

            // A pod with no updates: an empty list, not a 404.
            #expect(try await client.updates(namespace: "data", name: "db") == [])
        }
    }

    @Test("GET /v1/events filters by namespace and name")
    func events() async throws {
        try await ServerHarness.withServer(Self.provider()) { _, client in
            let all = try await client.events()
            #expect(all.kind == "EventList")
            #expect(all.items.map(\.reason) == ["Pulled", "Started"])
            #expect(try await client.events(namespace: "data").items.map(\.reason) == ["Started"])
            #expect(try await client.events(namespace: "default", name: "web").items.map(\.reason) == ["Pulled"])
            #expect(try await client.events(namespace: "default", name: "db").items.isEmpty)

            let (_, body) = try await client.fetch("/v1/events?namespace=default")
            let item = try #require((try object(body)["items"] as? [[String: Any]])?.first)
            let involved = try #require(item["involvedObject"] as? [String: Any])
            #expect(involved["kind"] as? String == "Pod")
            #expect(item["firstTimestamp"] as? String == "2027-01-15T07:55:20Z")
            #expect(item["count"] as? Int == 1)
        }
    }

    @Test("GET /healthz is 200 when ok, 503 when not")
    func health() async throws {
        let provider = Self.provider()
        try await ServerHarness.withServer(provider) { _, client in
            let (code, body) = try await client.fetch("/healthz")
            #expect(code == 200)
            #expect(try object(body)["status"] as? String == "ok")
            #expect(try await client.health().nodeName == "node-1")

            let error = ManifestError(file: "/etc/inplaced/bad.yaml", document: 0, message: "spec.containers[0].image: Required value")
            await provider.setHealth(Fixtures.health(status: "degraded", errors: [error]))
            let (code2, body2) = try await client.fetch("/healthz")
            #expect(code2 == 503)
            let json = try object(body2)
            #expect(json["status"] as? String == "degraded")
            #expect((json["manifestErrors"] as? [Any])?.count == 1)
            let health = try await client.health()
            #expect(health.status == "degraded")
            #expect(health.manifestErrors == [error])
        }
    }

    @Test("GET /metrics is Prometheus text")
    func metrics() async throws {
        try await ServerHarness.withServer(Self.provider()) { path, client in
            #expect(try await client.metrics() == "# TYPE inplaced_pods gauge\ninplaced_pods 2\n")
            let (code, _) = try await client.fetch("/metrics")
            #expect(code == 200)
            let contentType = try RawHTTP.header("Content-Type", get: "/metrics", socket: path)
            #expect(contentType == "text/plain; version=0.0.4; charset=utf-8")
        }
    }
}

import CLIKit
import Foundation
import PodAPI
import PodFixtures
import Testing

/// inplacectl's commands end to end: the real server, the real client, the printers.
@Suite("inplacectl commands")
struct CommandsTests {
    static func provider() -> FakeProvider {
        StatusRoutesTests.provider()
    }

    func commands(_ client: StatusClient) -> Commands {
        Commands(client: client, now: { Fixtures.now.addingTimeInterval(0) })
    }

    @Test("get pods: the default namespace's table; -A every namespace; none found on stderr")
    func getPods() async throws {
        try await ServerHarness.withServer(Self.provider()) { _, client in
            let out = try await commands(client).getPods(namespace: "default", allNamespaces: false, output: nil)
            #expect(
                out.stdout == """
                    NAME   READY   STATUS    RESTARTS     AGE
                    web    1/1     Running   1 (4m ago)   60m

                    """)
            #expect(out.stderr == "")

            let all = try await commands(client).getPods(namespace: "default", allNamespaces: true, output: nil)
            #expect(all.stdout.split(separator: "\n").map { $0.split(separator: " ").first! } == ["NAMESPACE", "data", "default"])

            let none = try await commands(client).getPods(namespace: "kube-system", allNamespaces: false, output: nil)
            #expect(none == CommandOutput(stdout: "", stderr: "No resources found in kube-system namespace.\n"))

            let names = try await commands(client).getPods(namespace: "default", allNamespaces: true, output: .name)
            #expect(names.stdout == "pod/db\npod/web\n")
        }
    }

    @Test("get pods -o json|yaml prints a List; get pod -o json|yaml the Pod")
    func structured() async throws {
        try await ServerHarness.withServer(Self.provider()) { _, client in
            let json = try await commands(client).getPods(namespace: "default", allNamespaces: false, output: .json).stdout
            let list = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
            #expect(list?["kind"] as? String == "List")
            #expect((list?["items"] as? [Any])?.count == 1)

            let podJSON = try await commands(client).getPod(name: "web", namespace: "default", output: .json).stdout
            #expect(try JSONDecoder().decode(Pod.self, from: Data(podJSON.utf8)).metadata.name == "web")
            #expect(podJSON.hasPrefix("{\n    \"apiVersion\": \"v1\",\n    \"kind\": \"Pod\",\n"))

            let yaml = try await commands(client).getPod(name: "web", namespace: "default", output: .yaml).stdout
            #expect(yaml.hasPrefix("apiVersion: v1\nkind: Pod\nmetadata:\n"))
            #expect(yaml.contains("\n  containerStatuses:\n  - containerID: mock://app-0123456789abcdef\n"))

            let table = try await commands(client).getPod(name: "web", namespace: "default", output: nil).stdout
            #expect(table.hasPrefix("NAME   READY   STATUS    RESTARTS     AGE\nweb    1/1 "))
        }
    }

    @Test("get pod and describe pod of an unknown pod fail as kubectl does")
    func notFound() async throws {
        try await ServerHarness.withServer(Self.provider()) { _, client in
            let e1 = await #expect(throws: StatusClientError.self) {
                try await commands(client).getPod(name: "nope", namespace: "default", output: nil)
            }
            #expect(e1?.description == #"Error from server (NotFound): pods "nope" not found"#)
            let e2 = await #expect(throws: StatusClientError.self) {
                try await commands(client).describePod(name: "db", namespace: "default")
            }
            #expect(e2?.description == #"Error from server (NotFound): pods "db" not found"#)
        }
    }

    @Test("describe pod brings the pod, its in-place updates and its events")
    func describe() async throws {
        try await ServerHarness.withServer(Self.provider()) { _, client in
            let text = try await commands(client).describePod(name: "web", namespace: "default").stdout
            let lines = text.split(separator: "\n").map { $0.split(separator: " ").joined(separator: " ") }
            #expect(lines.first == "Name: web")
            #expect(lines.contains("InPlaceUpdateReady True"))
            #expect(lines.contains("app nginx:1.25 -> nginx:1.26 Completed 5m ago 4m ago 111111111111 -> 222222222222"))
            #expect(lines.contains(#"Normal Pulled 4m40s inplaced Successfully pulled image "nginx:1.26""#))
            #expect(!text.contains("postgres"), "only this pod's events")
        }
    }

    @Test("events: the namespace's, a pod's, every namespace's")
    func events() async throws {
        try await ServerHarness.withServer(Self.provider()) { _, client in
            let out = try await commands(client).events(namespace: "default", allNamespaces: false, pod: nil)
            #expect(
                out.stdout == """
                    LAST SEEN   TYPE     REASON   OBJECT    MESSAGE
                    4m40s       Normal   Pulled   pod/web   Successfully pulled image "nginx:1.26"

                    """)
            let all = try await commands(client).events(namespace: "default", allNamespaces: true, pod: nil)
            #expect(all.stdout.split(separator: "\n").count == 3)
            #expect(all.stdout.hasPrefix("NAMESPACE   LAST SEEN"))
            let pod = try await commands(client).events(namespace: "data", allNamespaces: false, pod: "web")
            #expect(pod == CommandOutput(stdout: "", stderr: "No resources found in data namespace.\n"))
        }
    }

    @Test("status prints node, runtime, pods and manifest errors, healthy or not")
    func status() async throws {
        let provider = Self.provider()
        try await ServerHarness.withServer(provider) { _, client in
            #expect(
                try await commands(client).status().stdout == """
                    Node:             node-1
                    Status:           ok
                    Runtime:          mock 0.1.0
                    Agent Version:    0.1.0
                    Pods:             1
                    Controller:       <none>
                    Last Relist:      1.5s ago
                    Manifest Errors:  <none>

                    """)
            await provider.setHealth(
                Fixtures.health(
                    status: "degraded",
                    errors: [
                        ManifestError(file: "/etc/inplaced/pods/bad.yaml", document: 1, message: "spec.containers[0].image: Required value")
                    ]))
            var health = Fixtures.health(
                status: "degraded",
                errors: [
                    ManifestError(file: "/etc/inplaced/pods/bad.yaml", document: 1, message: "spec.containers[0].image: Required value")
                ])
            health.podsByPhase = ["Running": 1]
            health.controller = ControllerConnection(
                url: "http://ctl:8080", lastSuccess: nil, lastError: "connection refused",
                lastErrorTime: nil, queueDepth: 3, delivered: 7, failed: 2,
                heartbeatsSent: 4, heartbeatsFailed: 1, lastHeartbeat: nil)
            await provider.setHealth(health)
            let text = try await commands(client).status().stdout
            #expect(text.contains("Pods:            1 (Running 1)\n"))
            #expect(text.contains("Controller:      http://ctl:8080\n"))
            #expect(text.contains("  Queue Depth:   3\n"))
            #expect(text.contains("  Last Error:    connection refused\n"))
            #expect(text.contains("  Heartbeats:    4 sent, 1 failed\n"))
            #expect(text.contains("Status:          degraded\n"))
            #expect(
                text.hasSuffix("Manifest Errors:\n  /etc/inplaced/pods/bad.yaml (document 1): spec.containers[0].image: Required value\n"))
        }
    }

    @Test("every command names an unreachable socket")
    func unreachable() async throws {
        let path = "/tmp/ipd-gone-\(UUID().uuidString.prefix(6)).sock"
        let commands = Commands(client: StatusClient(socketPath: path))
        let message = "cannot reach inplaced at \(path): no such file or directory (is inplaced running?)"
        let e1 = await #expect(throws: StatusClientError.self) { try await commands.status() }
        #expect(e1?.description == message)
        let e2 = await #expect(throws: StatusClientError.self) {
            try await commands.getPods(namespace: "default", allNamespaces: false, output: nil)
        }
        #expect(e2?.description == message)
    }
}

/// Where inplacectl looks for the socket.
@Suite("Socket locator")
struct SocketLocatorTests {
    @Test("$INPLACED_SOCKET, else ./.inplaced/inplaced.sock when present, else /run/inplaced/inplaced.sock")
    func order() {
        #expect(SocketLocator.defaultPath(environment: ["INPLACED_SOCKET": "/x.sock"], fileExists: { _ in true }) == "/x.sock")
        #expect(
            SocketLocator.defaultPath(environment: ["INPLACED_SOCKET": ""], fileExists: { $0 == "./.inplaced/inplaced.sock" })
                == "./.inplaced/inplaced.sock")
        #expect(SocketLocator.defaultPath(environment: [:], fileExists: { _ in false }) == "/run/inplaced/inplaced.sock")
        // A stopped local daemon leaves ./.inplaced without its socket: still the one meant.
        #expect(SocketLocator.defaultPath(environment: [:], fileExists: { $0 == "./.inplaced" }) == "./.inplaced/inplaced.sock")
    }
}

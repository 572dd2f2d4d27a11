import CLIKit
import Foundation
import PodAPI
import Testing

@Suite("inplacectl --server: configuration and node table")
struct ServerCLITests {
    @Test("the server comes from --server, else $INPLACED_SERVER (a URL or a kubeconfig-like file); flags override")
    func resolve() throws {
        #expect(try ServerConfig.resolve(server: nil, token: nil, tokenFile: nil, caFile: nil, environment: [:]) == nil)
        #expect(
            try ServerConfig.resolve(server: "http://c:6443/", token: "t", tokenFile: nil, caFile: nil, environment: [:])
                == ServerConfig(url: "http://c:6443", token: "t"))
        let dir = NSTemporaryDirectory() + "srv-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "tok-1\n".write(toFile: dir + "/token", atomically: true, encoding: .utf8)
        try "server: https://c:6443\ntokenFile: token\ncertificateAuthority: ca.pem\n".write(
            toFile: dir + "/plain.yaml", atomically: true, encoding: .utf8)
        #expect(
            try ServerConfig.resolve(
                server: nil, token: nil, tokenFile: nil, caFile: nil, environment: ["INPLACED_SERVER": dir + "/plain.yaml"])
                == ServerConfig(url: "https://c:6443", token: "tok-1", caFile: dir + "/ca.pem"))
        let kubeconfig = """
            apiVersion: v1
            kind: Config
            clusters:
            - name: fleet
              cluster: {server: "https://k:6443", certificate-authority: /etc/ca.pem}
            users:
            - name: admin
              user: {token: abc}
            """
        try kubeconfig.write(toFile: dir + "/kubeconfig", atomically: true, encoding: .utf8)
        let config = try ServerConfig.resolve(
            server: nil, token: nil, tokenFile: nil, caFile: nil, environment: ["INPLACED_SERVER": dir + "/kubeconfig"])
        #expect(config == ServerConfig(url: "https://k:6443", token: "abc", caFile: "/etc/ca.pem"))
        #expect(throws: ServerConfigError.self) {
            try ServerConfig.resolve(
                server: nil, token: nil, tokenFile: nil, caFile: nil, environment: ["INPLACED_SERVER": dir + "/missing"])
        }
        #expect(throws: ServerConfigError.self) { try ServerConfig.resolve(server: "c:6443", token: nil, tokenFile: nil, caFile: nil) }
        #expect(throws: ServerConfigError.self) {
            try ServerConfig.resolve(server: "http://c", token: nil, tokenFile: dir + "/none", caFile: nil)
        }
    }

    @Test("get nodes prints kubectl's columns; Unknown shows as NotReady")
    func nodeTable() throws {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let created = JSONValue.string(Time(now.addingTimeInterval(-3 * 3600)).description)
        let nodes: [JSONValue] = [
            [
                "metadata": ["name": "node-1", "creationTimestamp": created],
                "status": ["conditions": [["type": "Ready", "status": "True"]], "nodeInfo": ["kubeletVersion": "inplaced/0.1.0"]],
            ],
            [
                "metadata": ["name": "node-2", "creationTimestamp": created], "spec": ["unschedulable": true],
                "status": ["conditions": [["type": "Ready", "status": "Unknown"]], "nodeInfo": ["kubeletVersion": "inplaced/0.1.0"]],
            ],
        ]
        let text = NodeTablePrinter(now: now).print(nodes)
        #expect(
            text == """
                NAME     STATUS                        ROLES    AGE   VERSION
                node-1   Ready                         <none>   3h    inplaced/0.1.0
                node-2   NotReady,SchedulingDisabled   <none>   3h    inplaced/0.1.0

                """)
    }
}

@Suite("inplacectl apply: configured or unchanged")
struct ApplyOutcomeTests {
    static func object(_ text: String) throws -> JSONValue { try JSONValue.parse(Array(text.utf8)) }

    @Test("a status written by a controller between the read and the patch is not a change; a spec or label change is")
    func appliedContent() throws {
        let before = try Self.object(
            #"{"metadata":{"name":"beta","resourceVersion":"7","labels":{"a":"1"}},"spec":{"replicas":2},"status":{"replicas":1}}"#)
        let statusOnly = try Self.object(
            #"{"metadata":{"name":"beta","resourceVersion":"9","labels":{"a":"1"}},"spec":{"replicas":2},"status":{"replicas":2}}"#)
        let spec = try Self.object(
            #"{"metadata":{"name":"beta","resourceVersion":"9","labels":{"a":"1"}},"spec":{"replicas":3},"status":{"replicas":1}}"#)
        let label = try Self.object(
            #"{"metadata":{"name":"beta","resourceVersion":"9","labels":{"a":"2"}},"spec":{"replicas":2},"status":{"replicas":1}}"#)
        #expect(ServerCommands.appliedContent(before) == ServerCommands.appliedContent(statusOnly))
        #expect(ServerCommands.appliedContent(before) != ServerCommands.appliedContent(spec))
        #expect(ServerCommands.appliedContent(before) != ServerCommands.appliedContent(label))
    }
}

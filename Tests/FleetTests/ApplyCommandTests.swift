import EtcdClusterLock
import Foundation
import Testing

/// `inplacectl apply -f` against a real inplace-controller: Pods and CloneSets (either kruise
/// version) in one multi-document file, as kubectl prints the results.
@Suite("inplacectl apply against a controller", .serialized)
struct ApplyCommandTests {
    static let manifest = """
        apiVersion: v1
        kind: Pod
        metadata: {name: solo}
        spec:
          containers: [{name: app, image: "nginx:1.25"}]
        ---
        apiVersion: apps.kruise.io/v1alpha1
        kind: CloneSet
        metadata: {name: alpha}
        spec:
          replicas: 3
          selector: {matchLabels: {app: alpha}}
          template:
            metadata: {labels: {app: alpha}}
            spec: {containers: [{name: main, image: "nginx:1.25"}]}
          updateStrategy: {type: InPlaceIfPossible, partition: 1, maxUnavailable: 1}
        ---
        apiVersion: apps.kruise.io/v1beta1
        kind: CloneSet
        metadata: {name: beta}
        spec:
          replicas: 2
          selector: {matchLabels: {app: beta}}
          template:
            metadata: {labels: {app: beta}}
            spec: {containers: [{name: main, image: "nginx:1.25"}]}
          updateStrategy:
            type: RollingUpdate
            rollingUpdate: {podUpdatePolicy: InPlaceOnly, maxUnavailable: "50%"}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: other}
        """

    static func inplacectl(_ fleet: Fleet, _ args: [String]) throws -> (code: Int32, out: String, err: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: ChildProcess.binDirectory + "/inplacectl")
        p.arguments = ["--server", fleet.url, "--token", "admin-token"] + args
        let out = Pipe()
        let err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    @Test func podsAndCloneSetsInOneFile() async throws {
        try await EtcdClusterLock.exclusive {
            let fleet = try Fleet(agents: 1)
            defer {
                fleet.stopAll()
                fleet.remove()
            }
            try fleet.startController()
            try await fleet.eventually("the controller answers") { try await fleet.call(.GET, "/api/v1/nodes").code == 200 }
            let file = fleet.dir + "/all.yaml"
            try Self.manifest.write(toFile: file, atomically: true, encoding: .utf8)
            let first = try Self.inplacectl(fleet, ["apply", "-f", file])
            #expect(
                first.out == "pod/solo created\ncloneset.apps.kruise.io/alpha created\ncloneset.apps.kruise.io/beta created\n",
                "\(first.err)")
            #expect(first.err.contains("only Pods (v1) and CloneSets"))
            let again = try Self.inplacectl(fleet, ["apply", "-f", file])
            #expect(again.out == "pod/solo unchanged\ncloneset.apps.kruise.io/alpha unchanged\ncloneset.apps.kruise.io/beta unchanged\n")
            try Self.manifest.replacingOccurrences(of: "replicas: 3", with: "replicas: 4").write(
                toFile: file, atomically: true, encoding: .utf8)
            let scaled = try Self.inplacectl(fleet, ["apply", "-f", file])
            #expect(scaled.out.contains("cloneset.apps.kruise.io/alpha configured\n"))
            let alpha = try await fleet.call(.GET, "/apis/apps.kruise.io/v1beta1/namespaces/default/clonesets/alpha").body
            #expect(alpha["spec"]?.integer("replicas") == 4)
            #expect(alpha["spec"]?["updateStrategy"]?["rollingUpdate"]?.string("podUpdatePolicy") == "InPlaceIfPossible")
            let table = try Self.inplacectl(fleet, ["get", "clonesets"])
            let lines = table.out.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
            #expect(lines.first == ["NAME", "DESIRED", "UPDATED", "UPDATED_READY", "READY", "TOTAL", "AGE"])
            #expect(lines.dropFirst().map { Array($0.prefix(2)) } == [["alpha", "4"], ["beta", "2"]], "\(table.out)")
        }
    }
}

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

    /// Runs `body` with a controller on SQLite (no agents), then stops it.
    static func withController(_ body: (Fleet) async throws -> Void) async throws {
        try await EtcdClusterLock.exclusive {
            let fleet = try Fleet(agents: 1)
            try await fleet.closing {
                try fleet.startController()
                try await fleet.eventually("the controller answers") { try await fleet.call(.GET, "/api/v1/nodes").code == 200 }
                try await body(fleet)
            }
        }
    }

    @Test func podsAndCloneSetsInOneFile() async throws {
        try await Self.withController { fleet in
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

    static func gamma(image: String, policy: String = "InPlaceIfPossible", env: Bool = false) -> String {
        """
        apiVersion: apps.kruise.io/v1alpha1
        kind: CloneSet
        metadata: {name: gamma}
        spec:
          replicas: 3
          selector: {matchLabels: {app: gamma}}
          template:
            metadata: {labels: {app: gamma}}
            spec: {containers: [{name: main, image: "\(image)"\(env ? ", env: [{name: A, value: b}]" : "")}]}
          updateStrategy: {type: \(policy), partition: 1, maxUnavailable: 1}
        """
    }

    @Test func rolloutPlanBeforeAChange() async throws {
        try await Self.withController { fleet in
            let file = fleet.dir + "/gamma.yaml"
            try Self.gamma(image: "nginx:1.25").write(toFile: file, atomically: true, encoding: .utf8)
            #expect(
                try Self.inplacectl(fleet, ["rollout", "plan", "-f", file]).out
                    == "cloneset.apps.kruise.io/gamma: new: 3 pods would be created\n")
            _ = try Self.inplacectl(fleet, ["apply", "-f", file])
            // The CloneSet controller makes the set's three pods at its current revision.
            try await fleet.eventually("the controller creates gamma's 3 pods") {
                try await fleet.call(.GET, "/api/v1/namespaces/default/pods?labelSelector=app%3Dgamma").body.array("items").count == 3
            }
            try Self.gamma(image: "nginx:1.26").write(toFile: file, atomically: true, encoding: .utf8)
            let plan = try Self.inplacectl(fleet, ["rollout", "plan", "-f", file])
            let lines = plan.out.split(separator: "\n").map(String.init)
            #expect(lines.count == 4, "\(plan.out)\(plan.err)")
            #expect(lines.first?.hasPrefix("cloneset.apps.kruise.io/gamma: 2 pods to revision gamma-") == true)
            #expect(lines.first?.hasSuffix(", in place, in 2 waves (maxUnavailable 1, partition 1)") == true)
            #expect(lines.dropFirst().map { $0.split(separator: ":").first.map(String.init) ?? "" } == ["  wave 1", "  wave 2", "  kept"])
            // Nothing changed: the plan only reads.
            let set = try await fleet.call(.GET, "/apis/apps.kruise.io/v1alpha1/namespaces/default/clonesets/gamma").body
            #expect(set["spec"]?["template"]?["spec"]?.array("containers").first?.string("image") == "nginx:1.25")
            try Self.gamma(image: "nginx:1.26", policy: "InPlaceOnly", env: true).write(toFile: file, atomically: true, encoding: .utf8)
            let refused = try Self.inplacectl(fleet, ["rollout", "plan", "-f", file])
            #expect(
                refused.out
                    == "cloneset.apps.kruise.io/gamma: refused: only allowed to update images in spec for InPlaceOnly, but found replace /spec/containers/0/env\n"
            )
        }
    }
}

import CLIKit
import Foundation
import PodAPI
import PodFixtures
import Testing

/// `-o json` and `-o yaml` as kubectl prints them.
@Suite("JSON and YAML output")
struct ObjectPrinterTests {
    @Test("JSON is indented by 4 with sorted keys, `\"key\": value`, and empty {} and [] inline")
    func json() throws {
        var pod = Fixtures.pod(
            "web", statuses: [Fixtures.waiting("app", reason: "ContainerCreating")], phase: "Pending",
            conditions: [])
        pod.status?.podIPs = []
        pod.status?.containerStatuses?[0].lastState = ContainerState()
        let text = try ObjectPrinter.json(pod)
        #expect(
            text.hasPrefix(
                "{\n    \"apiVersion\": \"v1\",\n    \"kind\": \"Pod\",\n    \"metadata\": {\n        \"creationTimestamp\": \"2027-01-15T07:00:00Z\",\n"
            ))
        #expect(text.contains("\n        \"conditions\": [],\n"))
        #expect(text.contains("\n                \"lastState\": {},\n"))
        #expect(text.contains("\n                \"imageID\": \"\",\n"))
        #expect(text.hasSuffix("\n}\n"))
        // It is the same object.
        #expect(try JSONDecoder().decode(Pod.self, from: Data(text.utf8)) == pod)
    }

    @Test("strings keep their braces, commas, colons, quotes and escapes")
    func jsonStrings() throws {
        let tricky = ["m": "a {b: [c, d]}, \"e\" \\ f/g\n"]
        let text = try ObjectPrinter.json(tricky)
        #expect(text == "{\n    \"m\": \"a {b: [c, d]}, \\\"e\\\" \\\\ f/g\\n\"\n}\n")
        #expect(try JSONDecoder().decode([String: String].self, from: Data(text.utf8)) == tricky)
    }

    @Test("a list of pods prints as a v1 List, as kubectl's get does")
    func list() throws {
        let text = try ObjectPrinter.json(KubeList(items: [Fixtures.pod("web", statuses: [])]))
        #expect(text.hasPrefix("{\n    \"apiVersion\": \"v1\",\n    \"items\": [\n        {\n"))
        #expect(text.hasSuffix("    ],\n    \"kind\": \"List\",\n    \"metadata\": {\n        \"resourceVersion\": \"\"\n    }\n}\n"))
    }

    @Test("YAML has sorted keys, unindented sequences and go-yaml's double quotes")
    func yaml() throws {
        let pod = Fixtures.pod("web", statuses: [Fixtures.running("app")], labels: ["b": "2", "a": "1"])
        let text = try ObjectPrinter.yaml(pod)
        #expect(
            text.hasPrefix(
                "apiVersion: v1\nkind: Pod\nmetadata:\n  creationTimestamp: \"2027-01-15T07:00:00Z\"\n  labels:\n    a: \"1\"\n    b: \"2\"\n  name: web\n"
            ))
        #expect(text.contains("\nspec:\n  containers:\n  - image: nginx:1.25\n    name: app\n"))
        #expect(
            text.contains(
                "\n  - lastProbeTime: null\n    lastTransitionTime: \"2027-01-15T07:00:00Z\"\n    status: \"True\"\n    type: PodScheduled\n"
            ))
        #expect(text.contains("\n    restartCount: 0\n"))
        #expect(text.hasSuffix("\n"))
    }
}

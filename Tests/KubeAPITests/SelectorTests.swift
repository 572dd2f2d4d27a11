import KubeAPI
import PodAPI
import Testing

@Suite("Label and field selectors")
struct SelectorTests {
    @Test(
        "label selector syntax",
        arguments: [
            ("app=web", ["app": "web"], true), ("app==web", ["app": "db"], false), ("app!=web", [:], true),
            ("app in (web, db),tier", ["app": "db", "tier": "x"], true), ("app notin (web)", ["app": "web"], false),
            ("!legacy", ["legacy": "1"], false), ("app", [:], false), ("", ["x": "y"], true),
        ] as [(String, [String: String], Bool)])
    func labels(_ text: String, _ labels: [String: String], _ matches: Bool) throws {
        #expect(try LabelSelector.parse(text).matches(labels) == matches)
    }

    @Test("a malformed label selector is a 400")
    func badLabels() {
        #expect(throws: APIError.self) { try LabelSelector.parse("app in web") }
        #expect(throws: APIError.self) { try LabelSelector.parse("a$b=c") }
    }

    @Test("field selectors: the pod fields the API server knows; others are a 400 listing them")
    func fields() throws {
        let pod: JSONValue = [
            "metadata": ["name": "web", "namespace": "default"], "spec": ["nodeName": "node-1"], "status": ["phase": "Running"],
        ]
        #expect(try FieldSelector.parse("spec.nodeName=node-1", for: .pods).matches(pod))
        #expect(try FieldSelector.parse("spec.nodeName=node-2", for: .pods).matches(pod) == false)
        #expect(try FieldSelector.parse("status.phase!=Failed,metadata.name==web", for: .pods).matches(pod))
        #expect(try FieldSelector.parse("spec.nodeName=", for: .pods).matches(["spec": [:]]))
        #expect(try FieldSelector.parse("spec.nodeName=node-1", for: .pods).equalityValue(of: "spec.nodeName") == "node-1")
        do {
            _ = try FieldSelector.parse("spec.image=x", for: .pods)
            Issue.record("accepted an unknown field")
        } catch {
            #expect(error.code == 400)
            #expect(error.message.hasPrefix("\"spec.image\" is not a known field selector: only \"metadata.name\""))
        }
    }
}

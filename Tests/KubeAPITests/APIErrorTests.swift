import KubeAPI
import PodAPI
import Testing

@Suite("Status errors in the API server's words")
struct APIErrorTests {
    @Test("409 Conflict on a lease, as captured from kube-apiserver")
    func conflict() {
        let status = APIError.conflict(.leases, "node-1").status
        #expect(status.string("kind") == "Status")
        #expect(status.string("status") == "Failure")
        #expect(status.string("reason") == "Conflict")
        #expect(status.integer("code") == 409)
        #expect(
            status.string("message")
                == "Operation cannot be fulfilled on leases.coordination.k8s.io \"node-1\": the object has been modified; please apply your changes to the latest version and try again"
        )
        #expect(status["details"] == ["name": "node-1", "group": "coordination.k8s.io", "kind": "leases"])
    }

    @Test("422 for a uid that differs, with its cause")
    func invalidUID() {
        let message = "Invalid value: \"00000000-0000-0000-0000-000000000000\": field is immutable"
        let error = APIError.invalid(.pods, "web", [.init(reason: "FieldValueInvalid", message: message, field: "metadata.uid")])
        #expect(error.message == "Pod \"web\" is invalid: metadata.uid: \(message)")
        #expect(error.status["details"]?.array("causes").first?.string("field") == "metadata.uid")
    }

    @Test("403 for a node writing another node's pod")
    func forbidden() {
        let error = APIError.forbidden(
            .pods, name: "web", user: "system:node:node-2", verb: "patch", subresource: "status", namespace: "default",
            reason: "no relationship found")
        #expect(
            error.message
                == "pods \"web\" is forbidden: User \"system:node:node-2\" cannot patch resource \"pods/status\" in API group \"\" in the namespace \"default\": no relationship found"
        )
    }
}

import APIRegistry
import APIServer
import Foundation
import PodAPI
import Testing

@Suite("The API on the SQLite store")
struct APIHandlerTests {
    @Test("create, get, list by label and field, with resourceVersion from the store's revision")
    func crud() async throws {
        let api = try TestAPI()
        defer { api.remove() }
        let created = await api.call("POST", "/api/v1/namespaces/default/pods", body: TestAPI.pod("web", node: "node-1"))
        #expect(created.code == 201)
        #expect(created.body["metadata"]?.string("uid")?.count == 36)
        #expect(created.body["status"]?.string("phase") == "Pending")
        _ = await api.call("POST", "/api/v1/namespaces/default/pods", body: TestAPI.pod("db", node: "node-2"))
        let again = await api.call("POST", "/api/v1/namespaces/default/pods", body: TestAPI.pod("web"))
        #expect(again.code == 409)
        #expect(again.body.string("reason") == "AlreadyExists")
        let got = await api.call("GET", "/api/v1/namespaces/default/pods/web")
        #expect(got.body["metadata"]?.string("resourceVersion") == created.body["metadata"]?.string("resourceVersion"))
        let byNode = await api.call("GET", "/api/v1/pods", query: ["fieldSelector": "spec.nodeName=node-2"])
        #expect(byNode.body.string("kind") == "PodList")
        #expect(byNode.body.array("items").map { $0["metadata"]?.string("name") ?? "" } == ["db"])
        let byLabel = await api.call("GET", "/api/v1/namespaces/default/pods", query: ["labelSelector": "app=web"])
        #expect(byLabel.body.array("items").count == 2)
        let missing = await api.call("GET", "/api/v1/namespaces/default/pods/nope")
        #expect(missing.code == 404)
        #expect(missing.body.string("message") == "pods \"nope\" not found")
    }

    @Test("bad input gets the API server's error and changes nothing")
    func badInput() async throws {
        let api = try TestAPI()
        defer { api.remove() }
        let before = try await api.store.currentRevision()
        let invalid = await api.call(
            "POST", "/api/v1/namespaces/default/pods",
            body: #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"x"},"spec":{"containers":[{"name":"a"}]}}"#)
        #expect(invalid.code == 422)
        #expect(invalid.body.string("message") == "Pod \"x\" is invalid: spec.containers[0].image: Required value")
        #expect(await api.call("POST", "/api/v1/namespaces/default/pods", body: "{not json").code == 400)
        #expect(await api.call("GET", "/api/v1/pods", query: ["fieldSelector": "spec.image=x"]).code == 400)
        #expect(await api.call("GET", "/api/v1/pods", query: ["resourceVersion": "abc"]).code == 400)
        #expect(await api.call("GET", "/api/v1/widgets").code == 404)
        #expect(await api.call("GET", "/api/v1/pods", token: nil).code == 401)
        #expect(await api.call("GET", "/api/v1/pods", token: "wrong").code == 401)
        let big = String(repeating: "x", count: 3 * 1024 * 1024 + 1)
        let tooLarge = await api.call("POST", "/api/v1/namespaces/default/pods", body: big)
        #expect(tooLarge.code == 413)
        #expect(tooLarge.body.string("reason") == "RequestEntityTooLarge")
        #expect(try await api.store.currentRevision() == before)
    }

    @Test("a stale resourceVersion is 409 Conflict; a uid that differs in a status patch is 422")
    func preconditions() async throws {
        let api = try TestAPI()
        defer { api.remove() }
        let lease =
            #"{"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"node-1"},"spec":{"holderIdentity":"node-1","leaseDurationSeconds":40}}"#
        let path = "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases"
        let created = await api.call("POST", path, body: lease)
        #expect(created.code == 201)
        let rv = created.body["metadata"]?.string("resourceVersion") ?? ""
        let renewed = lease.replacingOccurrences(
            of: #""leaseDurationSeconds":40"#, with: #""leaseDurationSeconds":40,"renewTime":"2026-12-02T17:00:00.000000Z""#)
        let first = await api.call(
            "PUT", path + "/node-1",
            body: renewed.replacingOccurrences(of: #""name":"node-1""#, with: #""name":"node-1","resourceVersion":"\#(rv)""#))
        #expect(first.code == 200)
        let stale = await api.call(
            "PUT", path + "/node-1",
            body: renewed.replacingOccurrences(of: "17:00:00", with: "17:00:10").replacingOccurrences(
                of: #""name":"node-1""#, with: #""name":"node-1","resourceVersion":"\#(rv)""#))
        #expect(stale.code == 409)
        #expect(stale.body.string("reason") == "Conflict")
        _ = await api.call("POST", "/api/v1/namespaces/default/pods", body: TestAPI.pod("web", node: "node-1"))
        let wrongUID = await api.call(
            "PATCH", "/api/v1/namespaces/default/pods/web/status", contentType: "application/strategic-merge-patch+json",
            body: #"{"metadata":{"uid":"00000000-0000-0000-0000-000000000000"},"status":{"phase":"Running"}}"#)
        #expect(wrongUID.code == 422)
        #expect(wrongUID.body["details"]?.array("causes").first?.string("field") == "metadata.uid")
        let unsupported = await api.call("PATCH", "/api/v1/namespaces/default/pods/web/status", contentType: "text/plain", body: "{}")
        #expect(unsupported.code == 415)
    }

    @Test("a status patch changes only the status; a spec patch may change only what a pod update may")
    func subresources() async throws {
        let api = try TestAPI()
        defer { api.remove() }
        _ = await api.call("POST", "/api/v1/namespaces/default/pods", body: TestAPI.pod("web", node: "node-1"))
        let status = await api.call(
            "PATCH", "/api/v1/namespaces/default/pods/web/status", contentType: "application/strategic-merge-patch+json",
            body: #"{"spec":{"nodeName":"node-9"},"status":{"phase":"Running"}}"#)
        #expect(status.body["status"]?.string("phase") == "Running")
        #expect(status.body["spec"]?.string("nodeName") == "node-1")
        let image = await api.call(
            "PATCH", "/api/v1/namespaces/default/pods/web", contentType: "application/strategic-merge-patch+json",
            body: #"{"spec":{"containers":[{"name":"app","image":"nginx:1.26"}]},"status":{"phase":"Failed"}}"#)
        #expect(image.code == 200)
        #expect(image.body["spec"]?.array("containers").first?.string("image") == "nginx:1.26")
        #expect(image.body["status"]?.string("phase") == "Running")
        let forbidden = await api.call(
            "PATCH", "/api/v1/namespaces/default/pods/web", contentType: "application/merge-patch+json",
            body: #"{"spec":{"restartPolicy":"Never"}}"#)
        #expect(forbidden.code == 422)
    }

    @Test("a node token reads and writes only its own node's pods, node and lease")
    func nodeAuthorization() async throws {
        let api = try TestAPI()
        defer { api.remove() }
        _ = await api.call("POST", "/api/v1/namespaces/default/pods", body: TestAPI.pod("web", node: "node-1"))
        let patch = #"{"status":{"phase":"Running"}}"#
        let own = await api.call(
            "PATCH", "/api/v1/namespaces/default/pods/web/status", token: "node1-token",
            contentType: "application/strategic-merge-patch+json", body: patch)
        #expect(own.code == 200)
        let before = try await api.store.currentRevision()
        let other = await api.call(
            "PATCH", "/api/v1/namespaces/default/pods/web/status", token: "node2-token",
            contentType: "application/strategic-merge-patch+json", body: patch)
        #expect(other.code == 403)
        #expect(other.body.string("reason") == "Forbidden")
        #expect(try await api.store.currentRevision() == before)
        #expect(await api.call("GET", "/api/v1/pods", token: "node2-token").code == 403)
        #expect(await api.call("GET", "/api/v1/pods", query: ["fieldSelector": "spec.nodeName=node-2"], token: "node2-token").code == 200)
        #expect(await api.call("GET", "/api/v1/namespaces/default/pods/web", token: "node2-token").code == 403)
        #expect(await api.call("POST", "/api/v1/namespaces/default/pods", token: "node1-token", body: TestAPI.pod("x")).code == 403)
        #expect(
            await api.call(
                "POST", "/api/v1/nodes", token: "node2-token", body: #"{"apiVersion":"v1","kind":"Node","metadata":{"name":"node-1"}}"#
            ).code == 403)
        #expect(
            await api.call(
                "POST", "/api/v1/nodes", token: "node1-token", body: #"{"apiVersion":"v1","kind":"Node","metadata":{"name":"node-1"}}"#
            ).code == 201)
        let lease = #"{"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"node-2"},"spec":{}}"#
        #expect(
            await api.call("POST", "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases", token: "node1-token", body: lease).code
                == 403)
        #expect(
            await api.call("POST", "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases", token: "node2-token", body: lease).code
                == 201)
    }

    @Test("graceful deletion: a bound pod is marked, then removed by a grace-0 delete with the uid precondition")
    func gracefulDeletion() async throws {
        let api = try TestAPI()
        defer { api.remove() }
        let created = await api.call("POST", "/api/v1/namespaces/default/pods", body: TestAPI.pod("web", node: "node-1"))
        let uid = created.body["metadata"]?.string("uid") ?? ""
        let marked = await api.call("DELETE", "/api/v1/namespaces/default/pods/web", body: #"{"gracePeriodSeconds":5}"#)
        #expect(marked.code == 200)
        #expect(marked.body["metadata"]?.integer("deletionGracePeriodSeconds") == 5)
        #expect(marked.body["metadata"]?.string("deletionTimestamp") != nil)
        #expect(await api.call("GET", "/api/v1/namespaces/default/pods/web").code == 200)
        let wrong = await api.call(
            "DELETE", "/api/v1/namespaces/default/pods/web", token: "node1-token",
            body: #"{"gracePeriodSeconds":0,"preconditions":{"uid":"other"}}"#)
        #expect(wrong.code == 409)
        let confirmed = await api.call(
            "DELETE", "/api/v1/namespaces/default/pods/web", token: "node1-token",
            body: #"{"gracePeriodSeconds":0,"preconditions":{"uid":"\#(uid)"}}"#)
        #expect(confirmed.code == 200)
        #expect(await api.call("GET", "/api/v1/namespaces/default/pods/web").code == 404)
        // An unbound pod goes at once.
        _ = await api.call("POST", "/api/v1/namespaces/default/pods", body: TestAPI.pod("pending"))
        #expect(await api.call("DELETE", "/api/v1/namespaces/default/pods/pending").code == 200)
        #expect(await api.call("GET", "/api/v1/namespaces/default/pods/pending").code == 404)
    }

    @Test("binding a pod twice is a 409, so two schedulers never place it twice")
    func bindOnce() async throws {
        let api = try TestAPI()
        defer { api.remove() }
        _ = await api.call("POST", "/api/v1/namespaces/default/pods", body: TestAPI.pod("web"))
        let binding = #"{"apiVersion":"v1","kind":"Binding","metadata":{"name":"web"},"target":{"kind":"Node","name":"node-1"}}"#
        #expect(await api.call("POST", "/api/v1/namespaces/default/pods/web/binding", body: binding).code == 201)
        let second = await api.call(
            "POST", "/api/v1/namespaces/default/pods/web/binding", body: binding.replacingOccurrences(of: "node-1", with: "node-2"))
        #expect(second.code == 409)
        let pod = await api.call("GET", "/api/v1/namespaces/default/pods/web")
        #expect(pod.body["spec"]?.string("nodeName") == "node-1")
        #expect(pod.body["status"]?.array("conditions").first?.string("type") == "PodScheduled")
    }
}

import APIServer
import Foundation
import Testing

/// `apiserver_request_total` as kube-apiserver counts requests, read by admins only.
struct APIMetricsTests {
    @Test func requestsAreCountedByVerbResourceAndCode() async throws {
        let api = try TestAPI()
        defer { api.remove() }
        _ = await api.call("POST", "/api/v1/namespaces/default/pods", body: TestAPI.pod("a"))
        _ = await api.call("GET", "/api/v1/namespaces/default/pods")
        _ = await api.call("GET", "/api/v1/namespaces/default/pods")
        _ = await api.call("GET", "/api/v1/namespaces/default/pods/nope")
        _ = await api.call(
            "PATCH", "/api/v1/namespaces/default/pods/a/status", contentType: "application/merge-patch+json",
            body: #"{"status":{"phase":"Running"}}"#)
        let text = try api.handler.metricsText(authorization: "Bearer admin-token")
        let lines = Set(text.split(separator: "\n").map(String.init))
        #expect(lines.contains(#"apiserver_request_total{verb="POST",resource="pods",subresource="",code="201"} 1"#), "\(text)")
        #expect(lines.contains(#"apiserver_request_total{verb="LIST",resource="pods",subresource="",code="200"} 2"#))
        #expect(lines.contains(#"apiserver_request_total{verb="GET",resource="pods",subresource="",code="404"} 1"#))
        #expect(lines.contains(#"apiserver_request_total{verb="PATCH",resource="pods",subresource="status",code="200"} 1"#))
        #expect(throws: (any Error).self) { try api.handler.metricsText(authorization: "Bearer node1-token") }
        #expect(throws: (any Error).self) { try api.handler.metricsText(authorization: nil) }
    }
}

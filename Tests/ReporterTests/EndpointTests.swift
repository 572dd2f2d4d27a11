import Foundation
import Testing

@testable import Reporter

@Suite("Endpoint and configuration")
struct EndpointTests {
    @Test("a base URL keeps its path prefix and loses trailing slashes")
    func baseURL() throws {
        let endpoint = try ControllerEndpoint(url: "https://ctrl.example:8443/prefix//")
        #expect(endpoint.url == "https://ctrl.example:8443/prefix")
        #expect(endpoint.isHTTPS)
        #expect(endpoint.requestTimeout == 10)
        #expect(try ControllerEndpoint(url: "HTTP://127.0.0.1:8080").isHTTPS == false)
    }

    @Test(
        "unusable URLs are refused with a reason",
        arguments: [
            "ftp://c", "127.0.0.1:8080", "http://", "http://c/x?y=1", "http://c/#f", "",
        ])
    func invalidURL(_ url: String) {
        #expect {
            try ControllerEndpoint(url: url)
        } throws: { error in
            guard case .invalidURL(let reported, _) = error as? ReporterError else { return false }
            return reported == url
        }
    }

    @Test("request paths, percent-encoded")
    func paths() {
        #expect(
            ControllerEndpoint.podStatusPath(namespace: "kube-system", name: "web-0")
                == "/api/v1/namespaces/kube-system/pods/web-0/status")
        #expect(ControllerEndpoint.podStatusPath(namespace: "a/b", name: "c d") == "/api/v1/namespaces/a%2Fb/pods/c%20d/status")
        #expect(ControllerEndpoint.nodeStatusPath(node: "node-1") == "/api/v1/nodes/node-1/status")
    }

    @Test("out-of-range settings are refused, naming the setting")
    func invalidConfiguration() throws {
        let endpoint = try ControllerEndpoint(url: "http://c")
        #expect(throws: ReporterError.invalidConfiguration(detail: "maxConcurrentDeliveries must be at least 1, got 0")) {
            try StatusReporterConfiguration(endpoint: endpoint, maxConcurrentDeliveries: 0)
        }
        #expect(throws: ReporterError.invalidConfiguration(detail: "pollInterval must be a positive number of seconds, got 0.0")) {
            try StatusReporterConfiguration(endpoint: endpoint, pollInterval: 0)
        }
        #expect(throws: ReporterError.self) {
            try StatusReporterConfiguration(endpoint: endpoint, backoff: DeliveryBackoff(initial: 5, maximum: 1))
        }
        #expect(throws: ReporterError.self) { try ControllerEndpoint(url: "http://c", requestTimeout: -1) }
        let defaults = try StatusReporterConfiguration(endpoint: endpoint)
        #expect(defaults.maxConcurrentDeliveries == 8)
        #expect(defaults.pollInterval == 1)
        #expect(defaults.backoff == DeliveryBackoff(initial: 0.5, maximum: 60))
        #expect(defaults.rejectedRetryInterval == 300)
    }

    @Test("error messages name the file or URL")
    func errorDescriptions() {
        #expect(ReporterError.tokenFile(path: "/t", detail: "no such file").description == "controller token file /t: no such file")
        #expect(ReporterError.caFile(path: "/ca.pem", detail: "no such file").description == "controller CA file /ca.pem: no such file")
        #expect(ReporterError.invalidURL(url: "x", detail: "no host").description == "controller URL x: no host")
    }

    @Test("run() twice is refused")
    func runTwice() async throws {
        let store = try TestStore()
        let reporter = StatusReporter(
            store: store.store, configuration: try fastConfiguration(url: "http://127.0.0.1:9"),
            logger: quietLogger)
        let task = Task { try await reporter.run() }
        try await reporter.waitRounds(1)
        await #expect(throws: ReporterError.self) { try await reporter.run() }
        task.cancel()
        try await task.value
    }
}

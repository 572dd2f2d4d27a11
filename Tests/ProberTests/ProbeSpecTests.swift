import Foundation
import PodAPI
import Testing

/// The typed Probe view of a container's probe JSON: Kubernetes' names and defaults.
@Suite struct ProbeSpecTests {
    func container(_ json: String) throws -> Container {
        try JSONDecoder().decode(Container.self, from: Data(json.utf8))
    }

    @Test func readsEveryHandlerKindAndTheTimings() throws {
        let c = try container(
            """
            {"name":"app","image":"nginx","ports":[{"name":"web","containerPort":8080}],
             "livenessProbe":{"exec":{"command":["cat","/tmp/ok"]},"initialDelaySeconds":5,"periodSeconds":2,"timeoutSeconds":3,
                              "failureThreshold":4,"terminationGracePeriodSeconds":7},
             "readinessProbe":{"httpGet":{"path":"/ready","port":"web","scheme":"HTTPS","host":"10.1.1.1",
                               "httpHeaders":[{"name":"X-A","value":"b"}]},"successThreshold":2},
             "startupProbe":{"tcpSocket":{"port":9000}}}
            """)
        let l = try #require(c.livenessProbe)
        #expect(l.handler == .exec(command: ["cat", "/tmp/ok"]))
        #expect(l.initialDelaySeconds == 5 && l.periodSeconds == 2 && l.timeoutSeconds == 3 && l.failureThreshold == 4)
        #expect(l.successThreshold == 1 && l.terminationGracePeriodSeconds == 7)
        let r = try #require(c.readinessProbe)
        #expect(
            r.handler
                == .httpGet(
                    .init(
                        path: "/ready", port: .name("web"), host: "10.1.1.1", scheme: "HTTPS",
                        httpHeaders: [.init(name: "X-A", value: "b")])))
        #expect(r.successThreshold == 2 && r.periodSeconds == 10 && r.timeoutSeconds == 1 && r.failureThreshold == 3)
        #expect(c.startupProbe?.handler == .tcpSocket(host: nil, port: .number(9000)))
        #expect(c.containerPort(named: "web") == 8080)
        #expect(c.containerPort(named: "nope") == nil)
    }

    @Test func httpGetDefaultsPathAndSchemeAndGrpcIsRead() throws {
        let c = try container(
            """
            {"name":"app","image":"nginx","readinessProbe":{"httpGet":{"port":80}},"livenessProbe":{"grpc":{"port":9090}}}
            """)
        #expect(c.readinessProbe?.handler == .httpGet(.init(path: "/", port: .number(80), host: nil, scheme: "HTTP")))
        #expect(c.livenessProbe?.handler == .grpc(port: 9090, service: nil))
        #expect(c.startupProbe == nil)
    }

    @Test func theContainerStillRoundTripsItsProbeJSONUnchanged() throws {
        let json = #"{"image":"nginx","livenessProbe":{"exec":{"command":["true"]},"periodSeconds":1},"name":"app"}"#
        let c = try container(json)
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        #expect(String(decoding: try e.encode(c), as: UTF8.self) == json)
    }
}

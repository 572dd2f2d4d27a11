import ControllerLoops
import Foundation
import PodAPI
import Testing

/// The Endpoints of a Service, table by table.
struct EndpointsBuilderTests {
    static let service = try! JSONValue.parse(
        Array(
            #"{"metadata":{"name":"web","namespace":"default","labels":{"app":"web"}},"spec":{"selector":{"app":"web"},"ports":[{"name":"http","port":80,"targetPort":"http"}]}}"#
                .utf8))

    static func pod(
        _ name: String, ip: String? = "10.0.0.1", ready: Bool = true, gate: String? = "True", app: String = "web", ns: String = "default",
        deleting: Bool = false, port: Int = 8080
    ) -> JSONValue {
        var conditions: [JSONValue] = [["type": "Ready", "status": ready ? "True" : "False"]]
        if let gate { conditions.append(["type": "InPlaceUpdateReady", "status": .string(gate)]) }
        var meta: JSONValue = [
            "name": .string(name), "namespace": .string(ns), "uid": .string("u-\(name)"), "labels": ["app": .string(app)],
        ]
        if deleting { meta.set("deletionTimestamp", "2027-01-15T08:00:00Z") }
        var status: JSONValue = ["phase": "Running", "conditions": .array(conditions)]
        if let ip { status.set("podIP", .string(ip)) }
        return [
            "metadata": meta,
            "spec": [
                "nodeName": "n1", "readinessGates": [["conditionType": "InPlaceUpdateReady"]],
                "containers": [["name": "main", "ports": [["name": "http", "containerPort": .integer(Int64(port))]]]],
            ],
            "status": status,
        ]
    }

    static func ips(_ endpoints: JSONValue?, _ key: String) -> [String] {
        (endpoints?.array("subsets") ?? []).flatMap { $0.array(key) }.compactMap { $0.string("ip") }
    }

    @Test func readyPodsAreAddressesAndAClosedGateTakesAPodOutAtOnce() {
        let pods = [
            Self.pod("a", ip: "10.0.0.1"), Self.pod("b", ip: "10.0.0.2", gate: "False"), Self.pod("c", ip: "10.0.0.3", ready: false),
            Self.pod("d", ip: nil), Self.pod("e", ip: "10.0.0.5", app: "other"), Self.pod("f", ip: "10.0.0.6", ns: "prod"),
            Self.pod("g", ip: "10.0.0.7", deleting: true),
        ]
        let endpoints = EndpointsBuilder.endpoints(service: Self.service, pods: pods)
        #expect(Self.ips(endpoints, "addresses") == ["10.0.0.1"])
        #expect(Self.ips(endpoints, "notReadyAddresses") == ["10.0.0.2", "10.0.0.3"])
        #expect(endpoints?.array("subsets").first?.array("ports") == [["name": "http", "port": 8080, "protocol": "TCP"]])
        let ref = endpoints?.array("subsets").first?.array("addresses").first?["targetRef"]
        #expect(ref?.string("kind") == "Pod" && ref?.string("name") == "a" && ref?.string("uid") == "u-a")
        #expect(endpoints?["metadata"]?.string("name") == "web" && endpoints?["metadata"]?["labels"]?.string("app") == "web")
    }

    @Test func aNamedTargetPortIsResolvedPerPodIntoSubsets() {
        let pods = [Self.pod("a", ip: "10.0.0.1", port: 8080), Self.pod("b", ip: "10.0.0.2", port: 9090)]
        let subsets = EndpointsBuilder.endpoints(service: Self.service, pods: pods)?.array("subsets") ?? []
        #expect(subsets.count == 2)
        #expect(subsets.map { $0.array("ports").first?.integer("port") } == [8080, 9090])
    }

    @Test func noSelectorNoEndpointsAndNoPodsNoSubsets() {
        var bare = Self.service
        bare.set("spec", ["ports": [["port": 80]]])
        #expect(EndpointsBuilder.endpoints(service: bare, pods: [Self.pod("a")]) == nil)
        #expect(EndpointsBuilder.endpoints(service: Self.service, pods: [])?["subsets"] == nil)
    }
}

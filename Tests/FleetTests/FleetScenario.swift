import AsyncHTTPClient
import Foundation
import NIOHTTP1
import PodAPI
import Testing

/// The fleet scenario of issue 10, run on each store: 3 agents join; 20 pods are placed and run;
/// an image change is done in place on the right node; an admin's condition survives every agent
/// write; bad input changes nothing; a killed node goes Unknown and returns; the controller killed
/// mid-work places no pod twice; the controller down for `outageSeconds`: pods keep running and
/// every latest status arrives after.
enum FleetScenario {
    static func run(_ fleet: Fleet, outageSeconds: Double = 60, restartController: (Fleet) async throws -> Void) async throws {
        try fleet.startController()
        for i in 0..<3 { try fleet.startAgent(i) }
        try await fleet.eventually("three Ready nodes") {
            let nodes = try await fleet.call(.GET, "/api/v1/nodes").body.array("items")
            return nodes.count == 3 && nodes.allSatisfy { Fleet.condition($0, "Ready")?.string("status") == "True" }
        }

        // 20 pods placed, spread, running.
        for i in 0..<20 {
            let created = try await fleet.call(.POST, "/api/v1/namespaces/default/pods", body: Fleet.podJSON("web-\(i)"))
            #expect(created.code == 201, "\(created.body.jsonText())")
        }
        try await fleet.eventually("20 pods Running", seconds: 60) {
            let pods = try await fleet.pods()
            return pods.count == 20 && pods.allSatisfy { $0["status"]?.string("phase") == "Running" }
        }
        var byNode: [String: Int] = [:]
        for pod in try await fleet.pods() { byNode[pod["spec"]?.string("nodeName") ?? "", default: 0] += 1 }
        #expect(byNode.keys.sorted() == ["node-1", "node-2", "node-3"])
        #expect(byNode.values.allSatisfy { (6...7).contains($0) }, "\(byNode)")

        // The admin (the rollout controller's role) opens every gate; Ready follows.
        for i in 0..<20 {
            let opened = try await fleet.call(
                .PATCH, "/api/v1/namespaces/default/pods/web-\(i)/status",
                body: #"{"status":{"conditions":[{"type":"InPlaceUpdateReady","status":"True"}]}}"#,
                contentType: "application/strategic-merge-patch+json")
            #expect(opened.code == 200)
        }
        try await fleet.eventually("20 pods Ready") {
            try await fleet.pods().allSatisfy { Fleet.condition($0, "Ready")?.string("status") == "True" }
        }

        // An image change through the API, in place on the pod's node.
        let before = try await fleet.pod("web-0")
        let oldID = before["status"]?.array("containerStatuses").first?.string("imageID")
        let patched = try await fleet.call(
            .PATCH, "/api/v1/namespaces/default/pods/web-0", body: #"{"spec":{"containers":[{"name":"app","image":"nginx:1.26"}]}}"#,
            contentType: "application/strategic-merge-patch+json")
        #expect(patched.code == 200)
        try await fleet.eventually("web-0 upgraded in place") {
            let s = try await fleet.pod("web-0")["status"]?.array("containerStatuses").first
            return s?.string("image") == "nginx:1.26" && s?.integer("restartCount") == 1 && s?.string("imageID") != oldID
                && s?["state"]?["running"] != nil
        }
        let after = try await fleet.pod("web-0")
        #expect(after["metadata"]?.string("uid") == before["metadata"]?.string("uid"))
        #expect(after["spec"]?.string("nodeName") == before["spec"]?.string("nodeName"))
        // Every agent status write kept the admin's condition (B9).
        for pod in try await fleet.pods() {
            #expect(Fleet.condition(pod, "InPlaceUpdateReady")?.string("status") == "True", "\(pod["metadata"]?.string("name") ?? "")")
        }

        try await badInput(fleet)
        try await nodeGoesUnknownAndReturns(fleet)
        try await controllerOutage(fleet, seconds: outageSeconds, restart: restartController)
    }

    /// Every pod's name and resourceVersion.
    static func revision(_ fleet: Fleet) async throws -> [String: String] {
        Dictionary(
            try await fleet.pods().map { ($0["metadata"]?.string("name") ?? "", $0["metadata"]?.string("resourceVersion") ?? "") },
            uniquingKeysWith: { a, _ in a })
    }

    static func badInput(_ fleet: Fleet) async throws {
        let rv = try await revision(fleet)
        let invalid = try await fleet.call(
            .POST, "/api/v1/namespaces/default/pods",
            body: #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"Bad"},"spec":{"containers":[]}}"#)
        #expect(invalid.code == 422)
        #expect(invalid.body.string("reason") == "Invalid")
        let big = try await fleet.call(.POST, "/api/v1/namespaces/default/pods", body: String(repeating: " ", count: 4 * 1024 * 1024))
        #expect(big.code == 413)
        let bogus = try await fleet.call(.GET, "/api/v1/pods?watch=true&resourceVersion=bogus")
        #expect(bogus.code == 400)
        let victim = try await fleet.pods().first { $0["spec"]?.string("nodeName") == "node-2" }
        let name = victim?["metadata"]?.string("name") ?? ""
        let foreign = try await fleet.call(
            .PATCH, "/api/v1/namespaces/default/pods/\(name)/status", body: #"{"status":{"phase":"Failed"}}"#,
            contentType: "application/strategic-merge-patch+json", token: "node1-token")
        #expect(foreign.code == 403)
        #expect(foreign.body.string("reason") == "Forbidden")
        #expect(try await revision(fleet) == rv, "bad input changed no pod")
    }

    static func nodeGoesUnknownAndReturns(_ fleet: Fleet) async throws {
        await fleet.agents[2]?.stop(SIGKILL)
        try await fleet.eventually("node-3 Unknown") {
            let ready = Fleet.condition(try await fleet.node("node-3"), "Ready")
            return ready?.string("status") == "Unknown" && ready?.string("reason") == "NodeStatusUnknown"
        }
        try await fleet.eventually("node-3's pods not Ready") {
            try await fleet.pods().filter { $0["spec"]?.string("nodeName") == "node-3" }.allSatisfy {
                Fleet.condition($0, "Ready")?.string("status") == "False"
            }
        }
        try fleet.startAgent(2)
        try await fleet.eventually("node-3 Ready again") {
            Fleet.condition(try await fleet.node("node-3"), "Ready")?.string("status") == "True"
        }
        try await fleet.eventually("node-3's pods Ready again") {
            try await fleet.pods().allSatisfy { Fleet.condition($0, "Ready")?.string("status") == "True" }
        }
    }

    static func controllerOutage(_ fleet: Fleet, seconds: Double, restart: (Fleet) async throws -> Void) async throws {
        // A pod whose container ends during the outage: its last status must arrive after.
        let created = try await fleet.call(
            .POST, "/api/v1/namespaces/default/pods", body: Fleet.podJSON("short", command: ["sleep", "3"], restartPolicy: "Never"))
        #expect(created.code == 201)
        try await fleet.eventually("short running") { try await fleet.pod("short")["status"]?.string("phase") == "Running" }
        let containers = Dictionary(
            try await fleet.pods().map {
                ($0["metadata"]?.string("name") ?? "", $0["status"]?.array("containerStatuses").first?.string("containerID") ?? "")
            },
            uniquingKeysWith: { a, _ in a })
        // SIGTERM ends the controller within 10 s although three agents hold watches open.
        let stoppedGracefully = await fleet.controllers[0]?.stop(SIGTERM)
        #expect(stoppedGracefully == true, "the controller needed SIGKILL")
        try await Task.sleep(for: .seconds(seconds))
        try await restart(fleet)
        try await fleet.eventually("short Succeeded, reported after the outage", seconds: 30) {
            try await fleet.pod("short")["status"]?.string("phase") == "Succeeded"
        }
        // Nothing was stopped or restarted by the outage.
        for pod in try await fleet.pods() {
            let name = pod["metadata"]?.string("name") ?? ""
            #expect(pod["status"]?.array("containerStatuses").first?.string("containerID") == containers[name], "\(name)")
            if name != "short" { #expect(pod["status"]?.string("phase") == "Running", "\(name)") }
        }
    }
}

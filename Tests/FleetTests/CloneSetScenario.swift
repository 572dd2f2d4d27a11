import Foundation
import NIOHTTP1
import PodAPI
import Testing

/// A CloneSet rolled out in place across a fleet of real processes (inplace-controller and
/// `agents` inplaced nodes on the mock runtime): create, an in-place rollout sampled for
/// maxUnavailable, the same pods and nodes afterwards with new containers, kruise's events,
/// scale up and down, partition holding pods back, and deletion taking the pods with it.
enum CloneSetScenario {
    static let base = "/apis/apps.kruise.io/v1alpha1/namespaces/default/clonesets"

    /// kruise's documented v1alpha1 form, unchanged.
    static func manifest(replicas: Int, image: String) -> String {
        #"""
        {"apiVersion":"apps.kruise.io/v1alpha1","kind":"CloneSet","metadata":{"name":"web","labels":{"app":"web"}},
         "spec":{"replicas":\#(replicas),"selector":{"matchLabels":{"app":"web"}},
           "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"main","image":"\#(image)"}]}},
           "updateStrategy":{"type":"InPlaceIfPossible","maxUnavailable":2,"inPlaceUpdateStrategy":{"gracePeriodSeconds":1}}}}
        """#
    }

    static func setPods(_ fleet: Fleet, replica: Int = 0) async throws -> [JSONValue] {
        try await fleet.call(.GET, "/api/v1/namespaces/default/pods?labelSelector=app%3Dweb", replica: replica).body.array("items")
            .filter { $0["metadata"]?["deletionTimestamp"] == nil }
    }

    /// Ready and its gate True: in service.
    static func serving(_ pod: JSONValue) -> Bool {
        Fleet.condition(pod, "Ready")?.string("status") == "True" && Fleet.condition(pod, "InPlaceUpdateReady")?.string("status") == "True"
    }

    static func image(_ pod: JSONValue) -> String? { pod["status"]?.array("containerStatuses").first?.string("image") }

    static func patchSet(_ fleet: Fleet, _ patch: String, replica: Int = 0) async throws {
        let answer = try await fleet.call(.PATCH, base + "/web", body: patch, contentType: "application/merge-patch+json", replica: replica)
        #expect(answer.code == 200, "\(answer.body.jsonText())")
    }

    static func waitServing(_ fleet: Fleet, count: Int, image: String, seconds: Double = 90, replica: Int = 0) async throws {
        try await fleet.eventually("\(count) pods serving \(image)", seconds: seconds) {
            let pods = try await setPods(fleet, replica: replica)
            return pods.count == count && pods.allSatisfy { serving($0) && Self.image($0) == image }
        }
    }

    /// - Parameter duringRollout: called once the rollout has started (the etcd variant kills
    ///   the leader there); returns the replica to read from afterwards.
    static func run(_ fleet: Fleet, agents: Int, duringRollout: (Fleet) async throws -> Int = { _ in 0 }) async throws {
        var replica = fleet.agentReplica
        for i in 0..<agents { try fleet.startAgent(i) }
        try await fleet.eventually("\(agents) Ready nodes") {
            try await fleet.call(.GET, "/api/v1/nodes", replica: replica).body.array("items").filter {
                Fleet.condition($0, "Ready")?.string("status") == "True"
            }.count == agents
        }
        let service =
            #"{"apiVersion":"v1","kind":"Service","metadata":{"name":"web"},"spec":{"selector":{"app":"web"},"ports":[{"port":80,"targetPort":8080}]}}"#
        #expect(try await fleet.call(.POST, "/api/v1/namespaces/default/services", body: service, replica: replica).code == 201)
        let created = try await fleet.call(.POST, base, body: manifest(replicas: 5, image: "nginx:1.25"), replica: replica)
        #expect(created.code == 201, "\(created.body.jsonText())")
        try await waitServing(fleet, count: 5, image: "nginx:1.25", replica: replica)
        let before = try await setPods(fleet, replica: replica)
        for pod in before {
            let labels = pod["metadata"]?["labels"]
            let name = pod["metadata"]?.string("name") ?? ""
            #expect(name.hasPrefix("web-") && name.count == 9, "kruise's <set>-<5 chars>: \(name)")
            #expect(labels?.string("apps.kruise.io/cloneset-instance-id") == String(name.suffix(5)))
            #expect(labels?.string("controller-revision-hash")?.hasPrefix("web-") == true)
            #expect((pod["spec"]?.string("nodeName") ?? "") != "")
        }
        let byName = Dictionary(uniqueKeysWithValues: before.map { ($0["metadata"]?.string("name") ?? "", $0) })
        try await fleet.eventually("status counts 5 ready") {
            let s = try await fleet.call(.GET, base + "/web", replica: replica).body["status"]
            return s?.integer("readyReplicas") == 5 && s?.integer("updatedReplicas") == 5 && s?.integer("availableReplicas") == 5
        }

        // The in-place rollout, sampled: never more than maxUnavailable (2) pods out of service;
        // `inplacectl rollout status` waits for it meanwhile.
        try await patchSet(
            fleet, #"{"spec":{"template":{"spec":{"containers":[{"name":"main","image":"nginx:1.26"}]}}}}"#, replica: replica)
        let rolloutStatus = try ChildProcess(
            executable: ChildProcess.binDirectory + "/inplacectl",
            arguments: ["--server", fleet.url, "--token", "admin-token", "rollout", "status", "cloneset/web", "--timeout", "120"],
            log: fleet.dir + "/rollout-status.out")
        var worst = 0
        var samples = 0
        var fewestEndpoints = 5
        var handedOver = false
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            let pods = try await setPods(fleet, replica: replica)
            let out = 5 - pods.filter(serving).count
            worst = max(worst, out)
            let endpoints = try await fleet.call(.GET, "/api/v1/namespaces/default/endpoints/web", replica: replica).body
            fewestEndpoints = min(fewestEndpoints, endpoints.array("subsets").flatMap { $0.array("addresses") }.count)
            samples += 1
            if !handedOver, pods.contains(where: { image($0) == "nginx:1.26" }) {
                handedOver = true
                replica = try await duringRollout(fleet)
            }
            if pods.count == 5, pods.allSatisfy({ serving($0) && image($0) == "nginx:1.26" }) { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        try await waitServing(fleet, count: 5, image: "nginx:1.26", seconds: 5, replica: replica)
        print("cloneset rollout: at most \(worst) of 5 pods out of service at once, \(samples) samples")
        #expect(worst <= 2, "maxUnavailable 2, but \(worst) pods were out of service at once (\(samples) samples)")
        #expect(worst >= 1, "the rollout was never seen in progress (\(samples) samples)")
        #expect(fewestEndpoints >= 3 && fewestEndpoints < 5, "the service's ready endpoints went down to \(fewestEndpoints) of 5")
        try await fleet.eventually("the service has 5 ready endpoints") {
            let endpoints = try await fleet.call(.GET, "/api/v1/namespaces/default/endpoints/web", replica: replica).body
            return endpoints.array("subsets").flatMap { $0.array("addresses") }.count == 5
        }
        try await fleet.eventually("rollout status returns") { !rolloutStatus.process.isRunning }
        #expect(rolloutStatus.process.terminationStatus == 0)
        let statusLines = rolloutStatus.log.split(separator: "\n").map(String.init)
        #expect(statusLines.last == "cloneset \"web\" successfully rolled out", "\(rolloutStatus.log)")
        #expect(statusLines.contains { $0.hasPrefix("Waiting for cloneset \"web\" rollout to finish: ") }, "\(rolloutStatus.log)")
        let after = try await setPods(fleet, replica: replica)
        for pod in after {
            let name = pod["metadata"]?.string("name") ?? ""
            let old = try #require(byName[name], "pod \(name) is new: the update was not in place")
            #expect(pod["metadata"]?.string("uid") == old["metadata"]?.string("uid"))
            #expect(pod["spec"]?.string("nodeName") == old["spec"]?.string("nodeName"))
            #expect(pod["status"]?.string("podIP") == old["status"]?.string("podIP"))
            let id = pod["status"]?.array("containerStatuses").first?.string("containerID")
            #expect(id != nil && id != old["status"]?.array("containerStatuses").first?.string("containerID"))
            #expect(pod["metadata"]?["annotations"]?.string("apps.kruise.io/inplace-update-state") != nil)
        }
        try await fleet.eventually("status: 5 updated and ready on one revision") {
            let s = try await fleet.call(.GET, base + "/web", replica: replica).body["status"]
            return s?.integer("updatedReadyReplicas") == 5 && s?.string("currentRevision") == s?.string("updateRevision")
        }
        let events = try await fleet.call(.GET, "/api/v1/namespaces/default/events", replica: replica).body.array("items")
        let inPlace = events.filter { $0.string("reason") == "SuccessfulUpdatePodInPlace" }
        #expect(
            Set(inPlace.map { $0.string("message") ?? "" }).count == 5,
            "one in-place event per pod: \(inPlace.map { $0.string("message") ?? "" })")
        #expect(
            inPlace.allSatisfy {
                $0["involvedObject"]?.string("kind") == "CloneSet" && $0["source"]?.string("component") == "cloneset-controller"
            })
        #expect(!events.contains { $0.string("reason") == "SuccessfulUpdatePodReCreate" })

        // Scale up (inplacectl scale, through the scale subresource), then down; get -w sees it.
        let watch = try ChildProcess(
            executable: ChildProcess.binDirectory + "/inplacectl",
            arguments: ["--server", fleet.url, "--token", "admin-token", "get", "clonesets", "-w"], log: fleet.dir + "/get-w.out")
        let scaled = try ApplyCommandTests.inplacectl(fleet, ["scale", "cloneset/web", "--replicas", "7"])
        #expect(scaled.out == "cloneset.apps.kruise.io/web scaled\n", "\(scaled.err)")
        try await waitServing(fleet, count: 7, image: "nginx:1.26", replica: replica)
        try await fleet.eventually("get -w printed a row with 7 ready") {
            watch.log.split(separator: "\n").contains { $0.split(separator: " ").prefix(6) == ["web", "7", "7", "7", "7", "7"] }
        }
        await watch.stop()
        #expect(watch.log.hasPrefix("NAME"), "\(watch.log)")
        let described = try ApplyCommandTests.inplacectl(fleet, ["describe", "cloneset", "web"])
        #expect(described.out.contains("7 desired | 7 updated | 7 total | 7 available | 0 unavailable"), "\(described.out)")
        #expect(described.out.contains("SuccessfulUpdatePodInPlace"))
        try await patchSet(fleet, #"{"spec":{"replicas":3}}"#, replica: replica)
        try await waitServing(fleet, count: 3, image: "nginx:1.26", replica: replica)

        // Partition 2 of 3: exactly one pod moves to the new image; two are held back.
        try await patchSet(
            fleet,
            #"{"spec":{"updateStrategy":{"partition":2},"template":{"spec":{"containers":[{"name":"main","image":"nginx:1.27"}]}}}}"#,
            replica: replica)
        try await fleet.eventually("one pod on nginx:1.27", seconds: 60) {
            let pods = try await setPods(fleet, replica: replica)
            return pods.count == 3 && pods.filter { image($0) == "nginx:1.27" && serving($0) }.count == 1
        }
        try await Task.sleep(for: .seconds(3))
        let held = try await setPods(fleet, replica: replica)
        #expect(held.filter { image($0) == "nginx:1.26" }.count == 2, "the partition holds two pods back")
        let status = try await fleet.call(.GET, base + "/web", replica: replica).body["status"]
        #expect(status?.integer("expectedUpdatedReplicas") == 1)

        // Deleting the set takes its pods.
        _ = try await fleet.call(.DELETE, base + "/web", replica: replica)
        try await fleet.eventually("the set's pods are gone", seconds: 60) { try await setPods(fleet, replica: replica).isEmpty }
    }
}

/// A revision whose image cannot be pulled: never more than maxUnavailable pods out of
/// service while the old pods keep serving, `Progressing=False ProgressDeadlineExceeded` with its
/// event after the deadline, and then either a new revision recovers in place, or (with the
/// rollback annotation) the controller puts the old template back and the pods return to it.
enum BadRevisionScenario {
    static let base = CloneSetScenario.base

    static func manifest(name: String, rollback: Bool) -> String {
        let annotations = rollback ? #","annotations":{"inplaced.io/rollback-on-progress-deadline":"true"}"# : ""
        return #"""
            {"apiVersion":"apps.kruise.io/v1beta1","kind":"CloneSet","metadata":{"name":"\#(name)"\#(annotations)},
             "spec":{"replicas":4,"progressDeadlineSeconds":4,"selector":{"matchLabels":{"app":"\#(name)"}},
               "template":{"metadata":{"labels":{"app":"\#(name)"}},"spec":{"containers":[{"name":"main","image":"nginx:1.25"}]}},
               "updateStrategy":{"type":"RollingUpdate","rollingUpdate":{"podUpdatePolicy":"InPlaceIfPossible","maxUnavailable":1}}}}
            """#
    }

    static func pods(_ fleet: Fleet, _ name: String) async throws -> [JSONValue] {
        try await fleet.call(.GET, "/api/v1/namespaces/default/pods?labelSelector=app%3D\(name)").body.array("items")
            .filter { $0["metadata"]?["deletionTimestamp"] == nil }
    }

    static func serving(_ fleet: Fleet, _ name: String, image: String) async throws -> Int {
        try await pods(fleet, name).filter { CloneSetScenario.serving($0) && CloneSetScenario.image($0) == image }.count
    }

    static func run(_ fleet: Fleet, name: String, rollback: Bool) async throws {
        let path = base.replacingOccurrences(of: "v1alpha1", with: "v1beta1")
        let created = try await fleet.call(.POST, path, body: manifest(name: name, rollback: rollback))
        #expect(created.code == 201, "\(created.body.jsonText())")
        try await fleet.eventually("4 pods of \(name) serving nginx:1.25", seconds: 60) {
            try await serving(fleet, name, image: "nginx:1.25") == 4
        }
        let patch = #"{"spec":{"template":{"spec":{"containers":[{"name":"main","image":"nginx:missing"}]}}}}"#
        let answer = try await fleet.call(.PATCH, path + "/\(name)", body: patch, contentType: "application/merge-patch+json")
        #expect(answer.code == 200)
        // Sampled until the deadline is reported: at most one pod out, three keep serving.
        var fewest = 4
        // (The event is written before the status, so both are waited for. With rollback the
        // condition is False only until the rollback's own progress: the event is what stays.)
        var exceeded: JSONValue?
        var reported = false
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, !(reported && (rollback || exceeded != nil)) {
            fewest = min(fewest, try await serving(fleet, name, image: "nginx:1.25"))
            let set = try await fleet.call(.GET, path + "/\(name)").body
            exceeded =
                exceeded
                ?? set["status"]?.array("conditions").first {
                    $0.string("type") == "Progressing" && $0.string("reason") == "ProgressDeadlineExceeded"
                }
            let events = try await fleet.call(.GET, "/api/v1/namespaces/default/events").body.array("items")
            reported = events.contains {
                $0["involvedObject"]?.string("name") == name && $0.string("reason") == "ProgressDeadlineExceeded"
                    && $0.string("type") == "Warning"
            }
            try await Task.sleep(for: .milliseconds(150))
        }
        #expect(reported, "no ProgressDeadlineExceeded event within 60 s")
        #expect(fewest >= 3, "maxUnavailable 1, but only \(fewest) pods served the old revision at one time")
        if !rollback {
            #expect(exceeded?.string("status") == "False")
            #expect(exceeded?.string("message") == "CloneSet \(name) has timed out progressing.")
        }
        if rollback {
            try await fleet.eventually("\(name) rolled back: 4 pods serving nginx:1.25", seconds: 60) {
                try await serving(fleet, name, image: "nginx:1.25") == 4
            }
            let set = try await fleet.call(.GET, path + "/\(name)").body
            #expect(set["spec"]?["template"]?["spec"]?.array("containers").first?.string("image") == "nginx:1.25")
            let after = try await fleet.call(.GET, "/api/v1/namespaces/default/events").body.array("items")
            #expect(after.contains { $0.string("reason") == "RolledBack" && $0["involvedObject"]?.string("name") == name })
        } else {
            // Kruise does not roll back: the stuck pod stays out until a new revision comes.
            try await Task.sleep(for: .seconds(2))
            #expect(try await serving(fleet, name, image: "nginx:1.25") == 3)
            let fix = #"{"spec":{"template":{"spec":{"containers":[{"name":"main","image":"nginx:1.26"}]}}}}"#
            _ = try await fleet.call(.PATCH, path + "/\(name)", body: fix, contentType: "application/merge-patch+json")
            try await fleet.eventually("\(name) recovered: 4 pods serving nginx:1.26", seconds: 60) {
                try await serving(fleet, name, image: "nginx:1.26") == 4
            }
            let set = try await fleet.call(.GET, path + "/\(name)").body
            let progressing = set["status"]?.array("conditions").first { $0.string("type") == "Progressing" }
            #expect(progressing?.string("reason") == "CloneSetAvailable")
        }
    }
}

import Foundation
import NIOHTTP1
import PodAPI
import Testing

/// The update strategies across a fleet: scatter order observed (kruise's documented example:
/// 10 replicas, 3 pods labelled foo=bar updated 1st, 6th and 10th), weight priority, paused
/// halting, ReCreate recreating, InPlaceOnly refusing a change it cannot make in place.
enum StrategiesScenario {
    static let path = "/apis/apps.kruise.io/v1alpha1/namespaces/default/clonesets"

    static func manifest(_ name: String, replicas: Int, type: String, strategy: String) -> String {
        #"""
        {"apiVersion":"apps.kruise.io/v1alpha1","kind":"CloneSet","metadata":{"name":"\#(name)"},
         "spec":{"replicas":\#(replicas),"selector":{"matchLabels":{"app":"\#(name)"}},
           "template":{"metadata":{"labels":{"app":"\#(name)"}},"spec":{"containers":[{"name":"main","image":"nginx:1.25"}]}},
           "updateStrategy":{"type":"\#(type)","maxUnavailable":1,"inPlaceUpdateStrategy":{"gracePeriodSeconds":1}\#(strategy)}}}
        """#
    }

    static func pods(_ fleet: Fleet, _ name: String) async throws -> [JSONValue] {
        try await fleet.call(.GET, "/api/v1/namespaces/default/pods?labelSelector=app%3D\(name)").body.array("items")
            .filter { $0["metadata"]?["deletionTimestamp"] == nil }
    }

    static func create(_ fleet: Fleet, _ name: String, replicas: Int, type: String = "InPlaceIfPossible", strategy: String = "")
        async throws
        -> [JSONValue]
    {
        let created = try await fleet.call(.POST, path, body: manifest(name, replicas: replicas, type: type, strategy: strategy))
        #expect(created.code == 201, "\(created.body.jsonText())")
        try await fleet.eventually("\(replicas) pods of \(name) serving", seconds: 60) {
            let pods = try await pods(fleet, name)
            return pods.count == replicas && pods.allSatisfy(CloneSetScenario.serving)
        }
        return try await pods(fleet, name)
    }

    static func setImage(_ fleet: Fleet, _ name: String, _ image: String, extra: String = "") async throws {
        let patch = #"{"spec":{\#(extra)"template":{"spec":{"containers":[{"name":"main","image":"\#(image)"}]}}}}"#
        let answer = try await fleet.call(.PATCH, path + "/\(name)", body: patch, contentType: "application/merge-patch+json")
        #expect(answer.code == 200, "\(answer.body.jsonText())")
    }

    static func label(_ fleet: Fleet, _ pod: JSONValue, _ labels: String) async throws {
        let name = pod["metadata"]?.string("name") ?? ""
        let answer = try await fleet.call(
            .PATCH, "/api/v1/namespaces/default/pods/\(name)", body: #"{"metadata":{"labels":{\#(labels)}}}"#,
            contentType: "application/merge-patch+json")
        #expect(answer.code == 200)
    }

    /// Pod names in the order the controller started their in-place updates (the state
    /// annotation's updateTimestamp; a wave of one pod takes over the 1 s grace, so they differ).
    static func updateOrder(_ fleet: Fleet, _ name: String) async throws -> [String] {
        try await pods(fleet, name).compactMap { pod -> (String, String)? in
            guard let text = pod["metadata"]?["annotations"]?.string("apps.kruise.io/inplace-update-state"),
                let state = try? JSONValue.parse(Array(text.utf8)), let at = state.string("updateTimestamp")
            else { return nil }
            return (at, pod["metadata"]?.string("name") ?? "")
        }.sorted { $0 < $1 }.map(\.1)
    }

    static func waitImage(_ fleet: Fleet, _ name: String, _ image: String, count: Int, seconds: Double = 90) async throws {
        try await fleet.eventually("\(count) pods of \(name) serving \(image)", seconds: seconds) {
            let pods = try await pods(fleet, name)
            return pods.count == count && pods.allSatisfy { CloneSetScenario.serving($0) && CloneSetScenario.image($0) == image }
        }
    }

    static func events(_ fleet: Fleet, _ name: String, reason: String) async throws -> [JSONValue] {
        try await fleet.call(.GET, "/api/v1/namespaces/default/events").body.array("items").filter {
            $0["involvedObject"]?.string("name") == name && $0.string("reason") == reason
        }
    }

    static func run(_ fleet: Fleet) async throws {
        // Scatter: kruise's example.
        let scattered = try await create(fleet, "scatter", replicas: 10, strategy: #","scatterStrategy":[{"key":"foo","value":"bar"}]"#)
        let marked = Set(scattered.prefix(3).map { $0["metadata"]?.string("name") ?? "" })
        for pod in scattered.prefix(3) { try await label(fleet, pod, #""foo":"bar""#) }
        // What `rollout plan` says before the change is what the controller then does.
        let file = fleet.dir + "/scatter.json"
        try manifest("scatter", replicas: 10, type: "InPlaceIfPossible", strategy: #","scatterStrategy":[{"key":"foo","value":"bar"}]"#)
            .replacingOccurrences(of: "nginx:1.25", with: "nginx:1.26").write(toFile: file, atomically: true, encoding: .utf8)
        let plan = try ApplyCommandTests.inplacectl(fleet, ["rollout", "plan", "-f", file]).out
        let planned = plan.split(separator: "\n").filter { $0.hasPrefix("  wave ") }.compactMap {
            $0.split(separator: " ").last.map(String.init)
        }
        try await setImage(fleet, "scatter", "nginx:1.26")
        try await waitImage(fleet, "scatter", "nginx:1.26", count: 10, seconds: 120)
        let order = try await updateOrder(fleet, "scatter")
        let positions = order.indices.filter { marked.contains(order[$0]) }.map { $0 + 1 }
        // kruise's example (1st, 6th, 10th) is one sort of all ten; kruise sorts the pods left
        // at every wave, and so does this controller: the first is a foo=bar pod, and the
        // matched ones never all come first.
        #expect(positions.first == 1 && positions != [1, 2, 3], "scatter: the foo=bar pods were updated at \(positions) of \(order)")
        #expect(order == planned, "the rollout differs from its plan:\n\(plan)")
        _ = try await fleet.call(.DELETE, path + "/scatter")

        // Weight priority: the pod with the heavier label goes first.
        let weighted = try await create(
            fleet, "weight", replicas: 3,
            strategy: #","priorityStrategy":{"weightPriority":[{"weight":50,"matchSelector":{"matchLabels":{"canary":"true"}}}]}"#)
        let canary = weighted[1]["metadata"]?.string("name") ?? ""
        try await label(fleet, weighted[1], #""canary":"true""#)
        try await setImage(fleet, "weight", "nginx:1.26")
        try await waitImage(fleet, "weight", "nginx:1.26", count: 3)
        #expect(try await updateOrder(fleet, "weight").first == canary)

        // Paused: nothing moves until it is resumed.
        try await setImage(fleet, "weight", "nginx:1.27", extra: #""updateStrategy":{"paused":true},"#)
        try await Task.sleep(for: .seconds(3))
        #expect(try await pods(fleet, "weight").allSatisfy { CloneSetScenario.image($0) == "nginx:1.26" }, "a paused set updated a pod")
        _ = try await fleet.call(
            .PATCH, path + "/weight", body: #"{"spec":{"updateStrategy":{"paused":false}}}"#, contentType: "application/merge-patch+json")
        try await waitImage(fleet, "weight", "nginx:1.27", count: 3)

        // InPlaceOnly: a change beyond images is refused with kruise's message; nothing moves.
        _ = try await fleet.call(
            .PATCH, path + "/weight", body: #"{"spec":{"updateStrategy":{"type":"InPlaceOnly"}}}"#,
            contentType: "application/merge-patch+json")
        let envPatch =
            #"{"spec":{"template":{"spec":{"containers":[{"name":"main","image":"nginx:1.27","env":[{"name":"A","value":"1"}]}]}}}}"#
        _ = try await fleet.call(.PATCH, path + "/weight", body: envPatch, contentType: "application/merge-patch+json")
        try await fleet.eventually("FailedUpdatePodInPlace") {
            try await !events(fleet, "weight", reason: "FailedUpdatePodInPlace").isEmpty
        }
        let refused = try await events(fleet, "weight", reason: "FailedUpdatePodInPlace")
        #expect(
            refused.allSatisfy { $0.string("message")?.hasSuffix("update strategy is InPlaceOnly but can not update in-place") == true })
        let before = Set(weighted.map { $0["metadata"]?.string("uid") ?? "" })
        #expect(Set(try await pods(fleet, "weight").map { $0["metadata"]?.string("uid") ?? "" }) == before)

        // ReCreate: the same change with ReCreate replaces the pods.
        _ = try await fleet.call(
            .PATCH, path + "/weight", body: #"{"spec":{"updateStrategy":{"type":"ReCreate"}}}"#, contentType: "application/merge-patch+json"
        )
        // (A pod made for ReCreate has no InPlaceUpdateReady gate: Ready is what serves.)
        try await fleet.eventually("3 new pods of weight Ready", seconds: 90) {
            let pods = try await pods(fleet, "weight")
            return pods.count == 3 && pods.allSatisfy { Fleet.condition($0, "Ready")?.string("status") == "True" }
                && before.isDisjoint(with: pods.map { $0["metadata"]?.string("uid") ?? "" })
        }
        #expect(try await events(fleet, "weight", reason: "SuccessfulUpdatePodReCreate").count == 3)
    }
}

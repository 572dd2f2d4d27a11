import CloneSetAPI
import Foundation
import PodAPI
import Testing

struct CloneSetPodsTests {
    static func set(image: String = "nginx:1.25", policy: String = "InPlaceIfPossible", partition: Int = 0) throws -> JSONValue {
        try JSONValue.parse(
            Array(
                #"{"apiVersion":"apps.kruise.io/v1beta1","kind":"CloneSet","metadata":{"name":"web","namespace":"prod","uid":"u-1","generation":3},"spec":{"replicas":4,"minReadySeconds":0,"selector":{"matchLabels":{"app":"web","tier":"fe"}},"template":{"metadata":{"labels":{"app":"web","tier":"fe"}},"spec":{"containers":[{"name":"main","image":"\#(image)"}]}},"updateStrategy":{"type":"RollingUpdate","rollingUpdate":{"podUpdatePolicy":"\#(policy)","partition":\#(partition)}}}}"#
                    .utf8))
    }

    @Test func theRevisionChangesExactlyWithTheTemplate() throws {
        let a = CloneSetPods.revision(setName: "web", template: try Self.set()["spec"]!["template"]!)
        let same = CloneSetPods.revision(setName: "web", template: try Self.set(policy: "ReCreate")["spec"]!["template"]!)
        let b = CloneSetPods.revision(setName: "web", template: try Self.set(image: "nginx:1.26")["spec"]!["template"]!)
        let collided = CloneSetPods.revision(setName: "web", template: try Self.set()["spec"]!["template"]!, collisionCount: 1)
        #expect(a == same, "the strategy is not part of the revision")
        #expect(a.hash != b.hash && a.hash != collided.hash)
        #expect(a.name == "web-" + a.hash)
        #expect(a.hash.allSatisfy { "bcdfghjklmnpqrstvwxz2456789".contains($0) })
    }

    @Test func aNewPodIsNamedLabelledAndOwnedAsKruises() throws {
        var rng = SystemRandomNumberGenerator()
        let id = CloneSetPods.randomID(using: &rng)
        #expect(id.count == 5)
        let set = try Self.set()
        let revision = CloneSetPods.revision(setName: "web", template: set["spec"]!["template"]!)
        let pod = CloneSetPods.newPod(set: set, revision: revision, id: id, policy: .inPlaceIfPossible)
        #expect(pod["metadata"]?.string("name") == "web-\(id)")
        #expect(pod["metadata"]?.string("namespace") == "prod")
        let labels = pod["metadata"]?["labels"]
        #expect(labels?.string("controller-revision-hash") == revision.name)
        #expect(labels?.string("pod-template-hash") == revision.hash)
        #expect(labels?.string("apps.kruise.io/cloneset-instance-id") == id)
        #expect(labels?.string("app") == "web")
        let owner = pod["metadata"]?.array("ownerReferences").first
        #expect(owner?.string("kind") == "CloneSet" && owner?.string("uid") == "u-1" && owner?["controller"] == .bool(true))
        #expect(pod["spec"]?.array("readinessGates").map { $0.string("conditionType") } == ["InPlaceUpdateReady"])
        // The pod is a valid Pod.
        #expect(PodDecoding.decode(pod).pod != nil)
        let recreate = CloneSetPods.newPod(set: set, revision: revision, id: id, policy: .reCreate)
        #expect(recreate["spec"]?["readinessGates"] == nil)
        let cr = CloneSetPods.controllerRevision(set: set, revision: revision, number: 2)
        #expect(cr.string("kind") == "ControllerRevision" && cr["metadata"]?.string("name") == revision.name)
        #expect(cr["data"]?["spec"]?["template"]?.string("$patch") == "replace")
    }

    static func pod(revision: String, ready: Bool, gate: String? = nil, since: String = "2026-12-05T10:00:00Z") -> JSONValue {
        var conditions: [JSONValue] = [
            ["type": "Ready", "status": .string(ready ? "True" : "False"), "lastTransitionTime": .string(since)]
        ]
        if let gate { conditions.append(["type": "InPlaceUpdateReady", "status": .string(gate)]) }
        return [
            "metadata": ["labels": ["controller-revision-hash": .string(revision)]],
            "status": ["phase": "Running", "conditions": .array(conditions)],
        ]
    }

    @Test func statusCountsAsKruise() throws {
        let set = try Self.set(partition: 1)
        let spec = try RolloutSpecReader.read(set).get()
        let now = Time.parse("2026-12-05T10:00:30Z")!.date
        let pods = [
            Self.pod(revision: "web-new", ready: true),
            Self.pod(revision: "web-new", ready: true, gate: "False"),  // mid in-place update: not available
            Self.pod(revision: "web-old", ready: true),
            Self.pod(revision: "web-old", ready: false),
        ]
        let status = CloneSetStatus.compute(
            set: set, spec: spec, pods: pods, currentRevision: "web-old", updateRevision: "web-new", collisionCount: 0, now: now)
        #expect(status.integer("replicas") == 4)
        #expect(status.integer("readyReplicas") == 3)
        #expect(status.integer("availableReplicas") == 2)
        #expect(status.integer("updatedReplicas") == 2)
        #expect(status.integer("updatedReadyReplicas") == 2)
        #expect(status.integer("updatedAvailableReplicas") == 1)
        #expect(status.integer("expectedUpdatedReplicas") == 3)
        #expect(status.integer("observedGeneration") == 3)
        #expect(status.string("labelSelector") == "app=web,tier=fe")
        #expect(status.string("updateRevision") == "web-new" && status.string("currentRevision") == "web-old")
    }

    @Test func minReadySecondsDelaysAvailability() {
        let pod = Self.pod(revision: "r", ready: true, since: "2026-12-05T10:00:00Z")
        let early = Time.parse("2026-12-05T10:00:05Z")!.date
        let late = Time.parse("2026-12-05T10:00:11Z")!.date
        #expect(CloneSetStatus.readiness(pod, minReadySeconds: 10, now: early) == (true, false))
        #expect(CloneSetStatus.readiness(pod, minReadySeconds: 10, now: late) == (true, true))
    }
}

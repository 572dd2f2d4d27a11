import CloneSetAPI
import CloneSetController
import Foundation
import PodAPI

/// CloneSets and pods for the sync tables: a set `web` in `prod` whose template runs `image`,
/// and pods of a revision with the status an agent would report.
enum SyncFixtures {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func set(
        replicas: Int = 5, image: String = "nginx:1.26", policy: String = "InPlaceIfPossible", strategy: String = "",
        env: Bool = false, status: String = "{}"
    ) -> JSONValue {
        let envText = env ? #","env":[{"name":"MODE","value":"x"}]"# : ""
        let text = #"""
            {"apiVersion":"apps.kruise.io/v1beta1","kind":"CloneSet","metadata":{"name":"web","namespace":"prod","uid":"set-uid","generation":2,"resourceVersion":"10"},
             "spec":{"replicas":\#(replicas),"selector":{"matchLabels":{"app":"web"}},
               "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"main","image":"\#(image)"\#(envText)}]}},
               "updateStrategy":{"type":"RollingUpdate","rollingUpdate":{"podUpdatePolicy":"\#(policy)"\#(strategy)}}},
             "status":\#(status)}
            """#
        return try! JSONValue.parse(Array(text.utf8))
    }

    static func revision(_ set: JSONValue) -> (name: String, hash: String) {
        CloneSetPods.revision(setName: "web", template: set["spec"]!["template"]!)
    }

    /// The ControllerRevisions of the old (nginx:1.25) and the given set's templates.
    static func revisions(_ set: JSONValue) -> [JSONValue] {
        let old = Self.set(image: "nginx:1.25")
        return [
            CloneSetPods.controllerRevision(set: old, revision: revision(old), number: 1),
            CloneSetPods.controllerRevision(set: set, revision: revision(set), number: 2),
        ]
    }

    /// A running pod `web-<id>` of `set`'s revision, Ready (or not), gate True (unless `gate` says).
    static func pod(
        _ id: String, of set: JSONValue, ready: Bool = true, gate: String? = "True", imageID: String? = nil,
        containerID: String? = nil, labels: [String: String] = [:], annotations: [String: String] = [:], node: String = "n1",
        age: Double = 600
    ) -> JSONValue {
        var pod = CloneSetPods.newPod(set: set, revision: revision(set), id: id, policy: .inPlaceIfPossible)
        var meta = pod["metadata"]!
        meta.set("uid", .string("uid-\(id)"))
        meta.set("resourceVersion", "100")
        meta.set("creationTimestamp", .string(Time(now.addingTimeInterval(-age)).description))
        var allLabels = meta["labels"]!.objectValue!
        for (k, v) in labels { allLabels[k] = .string(v) }
        meta.set("labels", .object(allLabels))
        if !annotations.isEmpty { meta.set("annotations", .object(annotations.mapValues(JSONValue.string))) }
        pod.set("metadata", meta)
        var spec = pod["spec"]!
        spec.set("nodeName", .string(node))
        pod.set("spec", spec)
        let image = set["spec"]!["template"]!["spec"]!.array("containers")[0].string("image")!
        var conditions: [JSONValue] = [
            [
                "type": "Ready", "status": ready ? "True" : "False",
                "lastTransitionTime": .string(Time(now.addingTimeInterval(-age)).description),
            ]
        ]
        if let gate { conditions.append(["type": "InPlaceUpdateReady", "status": .string(gate)]) }
        pod.set(
            "status",
            [
                "phase": "Running", "conditions": .array(conditions),
                "containerStatuses": [
                    [
                        "name": "main", "image": .string(image), "imageID": .string(imageID ?? "sha256:\(image)"),
                        "containerID": .string(containerID ?? "containerd://c-\(id)"), "restartCount": 0,
                        "state": ["running": ["startedAt": "2027-01-15T08:00:00Z"]], "ready": .bool(ready),
                    ]
                ],
            ])
        return pod
    }

    static func input(_ set: JSONValue, pods: [JSONValue], revisions: [JSONValue]? = nil, now: Date = now) -> SyncInput {
        let spec = try! RolloutSpecReader.read(set).get()
        return SyncInput(set: set, spec: spec, pods: pods, revisions: revisions ?? Self.revisions(set), now: now)
    }

    static func ids() -> () -> String {
        var n = 0
        return {
            n += 1
            return "new\(n)x"
        }
    }
}

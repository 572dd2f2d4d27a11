import CloneSetAPI
import CloneSetStrategy
import Foundation
import PodAPI

/// What the sync reads of one pod object.
struct PodFacts {
    static let specifiedDeleteLabel = "apps.kruise.io/specified-delete"
    static let graceAnnotation = "apps.kruise.io/inplace-update-grace"

    let object: JSONValue
    // Read once: a sync of a large set reads each of these many times.
    let meta: JSONValue
    let name: String
    let labels: [String: String]
    let annotations: [String: String]
    let terminating: Bool

    init(_ object: JSONValue) {
        self.object = object
        meta = object["metadata"] ?? .null
        name = meta.string("name") ?? ""
        labels = meta["labels"]?.objectValue?.compactMapValues(\.stringValue) ?? [:]
        annotations = meta["annotations"]?.objectValue?.compactMapValues(\.stringValue) ?? [:]
        terminating = meta["deletionTimestamp"] != nil && meta["deletionTimestamp"] != .null
    }

    var ref: SyncPlan.PodRef {
        SyncPlan.PodRef(name: name, uid: meta.string("uid") ?? "", resourceVersion: meta.string("resourceVersion") ?? "")
    }
    var revision: String? { labels[CloneSetPods.revisionLabel] }

    var hasGate: Bool {
        object["spec"]?.array("readinessGates").contains { $0.string("conditionType") == "InPlaceUpdateReady" } ?? false
    }
    var gate: JSONValue? { object["status"]?.array("conditions").first { $0.string("type") == "InPlaceUpdateReady" } }

    var inPlaceState: InPlaceUpdateState? { annotations[InPlaceUpdateState.annotation].flatMap(InPlaceUpdateState.parse) }

    /// An in-place update this controller started and has not finished: the gate closed by
    /// `StartInPlaceUpdate` and the state naming the pod's revision.
    var updateInProgress: Bool {
        guard let state = inPlaceState, state.revision == revision else { return false }
        if hasGate { return gate?.string("status") != "True" }
        return annotations[Self.graceAnnotation] != nil
    }

    /// The images of the pod spec by container name.
    var specImages: [String: String] {
        var out: [String: String] = [:]
        for c in object["spec"]?.array("containers") ?? [] {
            if let name = c.string("name"), let image = c.string("image") { out[name] = image }
        }
        return out
    }

    var rank: PodRank {
        let conditions = object["status"]?.array("conditions") ?? []
        let ready = conditions.first { $0.string("type") == "Ready" }
        return PodRank(
            name: name, labels: labels, assigned: !(object["spec"]?.string("nodeName") ?? "").isEmpty,
            phase: PodRank.Phase(object["status"]?.string("phase")), ready: ready?.string("status") == "True",
            readySince: ready?.string("lastTransitionTime").flatMap(Time.parse)?.date.timeIntervalSince1970,
            restarts: object["status"]?.array("containerStatuses").map { Int($0.integer("restartCount") ?? 0) }.max() ?? 0,
            created: meta.string("creationTimestamp").flatMap(Time.parse)?.date.timeIntervalSince1970,
            preparingUpdate: labels["lifecycle.apps.kruise.io/state"] == "PreparingUpdate")
    }
}

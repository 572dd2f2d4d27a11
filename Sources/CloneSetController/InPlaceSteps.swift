import CloneSetAPI
import Foundation
import PodAPI

/// The writes of an in-place update, as kruise's `inplace_update.go` makes them: the revision
/// labels, the `apps.kruise.io/inplace-update-state` annotation with each changed container's
/// imageID and containerID before the change, and the images; with a grace period the images
/// wait in `apps.kruise.io/inplace-update-grace` until it runs out.
enum InPlaceSteps {
    /// The first step for `pod`: close its gate, write labels and state, and the images unless a
    /// grace period (seconds) defers them.
    static func start(
        pod: PodFacts, revision: (name: String, hash: String), images: [String: String], labels: [String: String],
        annotations: [String: String], graceSeconds: Int, now: Date
    ) -> SyncPlan.InPlaceStep {
        var last: [String: InPlaceUpdateState.LastContainerStatus] = [:]
        let statuses = pod.object["status"]?.array("containerStatuses") ?? []
        for (name, image) in images {
            let status = statuses.first { $0.string("name") == name }
            // A container that already runs the image (a rollback to what it kept running
            // while the new image could not be pulled) has nothing to wait for.
            if let status, status["state"]?["running"] != nil, InPlaceCompletion.sameImage(status.string("image") ?? "", image) {
                continue
            }
            last[name] = .init(imageID: status?.string("imageID") ?? "", containerID: status?.string("containerID"))
        }
        let state = InPlaceUpdateState(revision: revision.name, updateTimestamp: Time(now).description, lastContainerStatuses: last)
        var newLabels = labels.mapValues(JSONValue.string)
        newLabels[CloneSetPods.revisionLabel] = .string(revision.name)
        newLabels[CloneSetPods.templateHashLabel] = .string(revision.hash)
        var newAnnotations = annotations.mapValues(JSONValue.string)
        newAnnotations[InPlaceUpdateState.annotation] = .string(state.annotationValue())
        var patch: JSONValue = [:]
        var event: SyncPlan.Event? = InPlaceGrace(revision: revision.name, containerImages: images, graceSeconds: graceSeconds)
            .event(pod: pod.name)
        if graceSeconds > 0 {
            newAnnotations[PodFacts.graceAnnotation] = .string(
                InPlaceGrace(revision: revision.name, containerImages: images, graceSeconds: graceSeconds).text())
            event = nil
        } else {
            patch = imagePatch(images)
        }
        patch.set(
            "metadata",
            [
                "resourceVersion": .string(pod.ref.resourceVersion), "labels": .object(newLabels),
                "annotations": .object(newAnnotations),
            ])
        let closed = pod.gate?.string("status") == "False"
        return .init(pod: pod.ref, closeGate: pod.hasGate && !closed, patch: patch, event: event)
    }

    /// `{"spec":{"containers":[{"name":..,"image":..}]}}`: a strategic merge patch of the images
    /// (containers merge by name).
    static func imagePatch(_ images: [String: String]) -> JSONValue {
        ["spec": ["containers": .array(images.sorted { $0.key < $1.key }.map { ["name": .string($0.key), "image": .string($0.value)] })]]
    }

    /// The gate condition of `InPlaceUpdateReady` with `status` (True or False) at `now`.
    static func gateCondition(open: Bool, now: Date) -> JSONValue {
        var c: JSONValue = [
            "type": "InPlaceUpdateReady", "status": open ? "True" : "False", "lastProbeTime": .null,
            "lastTransitionTime": .string(Time(now).description),
        ]
        if !open { c.set("reason", "StartInPlaceUpdate") }
        return c
    }
}

/// The images an in-place update holds back for its grace period (the
/// `apps.kruise.io/inplace-update-grace` annotation, this project's JSON).
struct InPlaceGrace: Codable, Hashable {
    var revision: String
    var containerImages: [String: String]
    var graceSeconds: Int

    func text() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(self)) ?? Data("{}".utf8), as: UTF8.self)
    }

    static func parse(_ text: String) -> InPlaceGrace? { try? JSONDecoder().decode(InPlaceGrace.self, from: Data(text.utf8)) }

    /// kruise's success event, recorded when the images are written.
    func event(pod: String) -> SyncPlan.Event {
        .init(
            type: "Normal", reason: "SuccessfulUpdatePodInPlace", message: "successfully update pod \(pod) in-place(revision \(revision))")
    }
}

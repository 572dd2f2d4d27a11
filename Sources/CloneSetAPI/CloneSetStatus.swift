import CloneSetStrategy
import Foundation
import PodAPI

/// A CloneSet's `status` as kruise computes it from its pods (`calculateStatus`): counts of all,
/// ready, available, updated (on the update revision) pods and their ready and available parts,
/// `expectedUpdatedReplicas` (replicas minus the partition), the revisions, the generation
/// observed and the selector as a string (for the scale subresource).
public enum CloneSetStatus {
    /// Whether `pod` is Ready, and available: Ready for `minReadySeconds` (seconds) at `now`,
    /// and its `InPlaceUpdateReady` condition (if any) True.
    public static func readiness(_ pod: JSONValue, minReadySeconds: Int, now: Date) -> (ready: Bool, available: Bool) {
        let conditions = pod["status"]?.array("conditions") ?? []
        let ready = conditions.first { $0.string("type") == "Ready" }
        guard ready?.string("status") == "True", pod["status"]?.string("phase") == "Running" else { return (false, false) }
        if let gate = conditions.first(where: { $0.string("type") == "InPlaceUpdateReady" }), gate.string("status") != "True" {
            return (true, false)
        }
        guard minReadySeconds > 0 else { return (true, true) }
        guard let since = ready?.string("lastTransitionTime").flatMap(Time.parse) else { return (true, false) }
        return (true, now.timeIntervalSince(since.date) >= Double(minReadySeconds))
    }

    /// - Parameters:
    ///   - set: the CloneSet (either version) with `metadata.generation`.
    ///   - spec: its rollout spec.
    ///   - pods: its active pods (not being deleted).
    public static func compute(
        set: JSONValue, spec: RolloutSpec, pods: [JSONValue], currentRevision: String, updateRevision: String, collisionCount: Int,
        now: Date
    ) -> JSONValue {
        var ready = 0
        var available = 0
        var updated = 0
        var updatedReady = 0
        var updatedAvailable = 0
        for pod in pods {
            let r = readiness(pod, minReadySeconds: spec.minReadySeconds, now: now)
            let isUpdated = pod["metadata"]?["labels"]?.string(CloneSetPods.revisionLabel) == updateRevision
            if r.ready { ready += 1 }
            if r.available { available += 1 }
            if isUpdated {
                updated += 1
                if r.ready { updatedReady += 1 }
                if r.available { updatedAvailable += 1 }
            }
        }
        let partition = UpdateBudget.partition(spec.partition, replicas: spec.replicas)
        let selector = (set["spec"]?["selector"]?["matchLabels"]?.objectValue?.compactMapValues(\.stringValue) ?? [:])
            .sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        return [
            "observedGeneration": .integer(set["metadata"]?["generation"]?.integerValue ?? 1),
            "replicas": .integer(Int64(pods.count)), "readyReplicas": .integer(Int64(ready)),
            "availableReplicas": .integer(Int64(available)), "updatedReplicas": .integer(Int64(updated)),
            "updatedReadyReplicas": .integer(Int64(updatedReady)), "updatedAvailableReplicas": .integer(Int64(updatedAvailable)),
            "expectedUpdatedReplicas": .integer(Int64(spec.replicas - partition)), "currentRevision": .string(currentRevision),
            "updateRevision": .string(updateRevision), "collisionCount": .integer(Int64(collisionCount)),
            "labelSelector": .string(selector),
        ]
    }
}

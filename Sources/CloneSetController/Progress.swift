import CloneSetAPI
import Foundation
import PodAPI

/// The CloneSet's `Progressing` condition, as kruise (v1.9) keeps it when
/// `spec.progressDeadlineSeconds` is set, and this project's opt-in automatic rollback.
///
/// - `True` `CloneSetUpdated` ("CloneSet is progressing") while pods move: each change of the
///   update revision or of the updated, updated-ready or updated-available counts is progress
///   and refreshes `lastUpdateTime`;
/// - `True` `CloneSetAvailable` ("CloneSet is available") once every replica is updated and
///   available, `CloneSetProgressPartitionAvailable` once the pods the partition lets through are;
/// - `Unknown` `CloneSetProgressPaused` ("CloneSet is paused") while paused;
/// - `False` `ProgressDeadlineExceeded` when no progress came for `progressDeadlineSeconds`, with a
///   Warning event of the same reason. Kruise stops there and keeps rolling; with the annotation
///   `inplaced.io/rollback-on-progress-deadline: "true"` this controller then writes the previous
///   revision's template back into the set (as `kubectl rollout undo` would), so the failed pods
///   go back in place to the revision that served.
public enum Progress {
    public static let rollbackAnnotation = "inplaced.io/rollback-on-progress-deadline"

    public struct Outcome: Sendable {
        /// The Progressing condition to hold (nil: the set has no deadline).
        public var condition: JSONValue?
        public var event: SyncPlan.Event?
        /// Roll back to the current revision's template.
        public var rollback: Bool = false
        /// Seconds until the deadline would pass.
        public var recheckAfterSeconds: Double?
    }

    /// - Parameters:
    ///   - status: the status just computed (counts and revisions, without conditions).
    ///   - specReplicas: `spec.replicas`.
    public static func evaluate(set: JSONValue, status: JSONValue, specReplicas: Int, paused: Bool, now: Date) -> Outcome {
        guard let deadline = set["spec"]?.integer("progressDeadlineSeconds") else { return Outcome() }
        let old = set["status"]?.array("conditions").first { $0.string("type") == "Progressing" }
        let previous = set["status"] ?? .object([:])
        let at = Time(now).description
        func condition(_ status: String, _ reason: String, _ message: String, touched: Bool) -> JSONValue {
            let same = old?.string("status") == status && old?.string("reason") == reason
            return [
                "type": "Progressing", "status": .string(status), "reason": .string(reason), "message": .string(message),
                "lastUpdateTime": .string(touched || old == nil ? at : old?.string("lastUpdateTime") ?? at),
                "lastTransitionTime": .string(same ? old?.string("lastTransitionTime") ?? at : at),
            ]
        }
        if paused { return Outcome(condition: condition("Unknown", "CloneSetProgressPaused", "CloneSet is paused", touched: false)) }
        let updatedAvailable = Int(status.integer("updatedAvailableReplicas") ?? 0)
        let expected = Int(status.integer("expectedUpdatedReplicas") ?? 0)
        let available = Int(status.integer("availableReplicas") ?? 0)
        let replicas = Int(status.integer("replicas") ?? 0)
        if replicas == specReplicas, available == specReplicas, updatedAvailable >= expected {
            if expected >= specReplicas {
                return Outcome(condition: condition("True", "CloneSetAvailable", "CloneSet is available", touched: false))
            }
            return Outcome(
                condition: condition(
                    "True", "CloneSetProgressPartitionAvailable", "CloneSet has been paused due to partition ready", touched: false))
        }
        let keys = ["updateRevision", "updatedReplicas", "updatedReadyReplicas", "updatedAvailableReplicas", "replicas"]
        let moved = keys.contains { previous[$0] != status[$0] }
        let resumed = old == nil || old?.string("reason") != "CloneSetUpdated" && old?.string("reason") != "ProgressDeadlineExceeded"
        if moved || resumed {
            return Outcome(
                condition: condition("True", "CloneSetUpdated", "CloneSet is progressing", touched: true),
                recheckAfterSeconds: Double(deadline))
        }
        if old?.string("reason") == "ProgressDeadlineExceeded" { return Outcome(condition: old) }
        let since = old?.string("lastUpdateTime").flatMap(Time.parse)?.date ?? now
        let left = since.addingTimeInterval(Double(deadline)).timeIntervalSince(now)
        if left > 0 { return Outcome(condition: old, recheckAfterSeconds: left) }
        let name = set["metadata"]?.string("name") ?? ""
        let message = "CloneSet \(name) has timed out progressing."
        return Outcome(
            condition: condition("False", "ProgressDeadlineExceeded", message, touched: false),
            event: .init(type: "Warning", reason: "ProgressDeadlineExceeded", message: message),
            rollback: set["metadata"]?["annotations"]?.string(rollbackAnnotation) == "true")
    }
}

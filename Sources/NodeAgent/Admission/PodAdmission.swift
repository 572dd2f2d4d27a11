import Foundation
import PodAPI
import StateStore

/// The second stage of ``NodeAgent/apply(_:)``: whether and how a desired pod is admitted. Pure
/// functions of the old and new specs, the pod's update policy and what the agent knows.
enum PodAdmission {
    /// What becomes of a changed pod.
    enum UpdateVerdict: Equatable {
        /// The pod had finished: it starts over, as kubelet runs an edited static pod as a new
        /// pod (new containers with restartCount 0, a new startTime).
        case revive
        /// Its update policy is InPlaceOnly and the change cannot be made in place: refused with
        /// OpenKruise's wording; the pod keeps running as it was.
        case reject(String)
        /// Stored; the pod's worker carries it out (in place when apiserver's ValidatePodUpdate
        /// allows it, else by the update policy).
        case update
    }

    /// - Parameters:
    ///   - terminal: the pod has a terminal phase (Succeeded, Failed).
    ///   - defaultPolicy: the agent's update policy for pods without the annotation.
    static func update(old: Pod, new: Pod, terminal: Bool, defaultPolicy: String) -> UpdateVerdict {
        if terminal { return .revive }
        let problems = PodUpdateValidation.messages(old: old, new: new)
        let policy = new.metadata.annotations?[WellKnown.updatePolicyAnnotation] ?? defaultPolicy
        if !problems.isEmpty && policy == WellKnown.inPlaceOnly {
            return .reject(
                "pod \(new.key) update strategy is InPlaceOnly but can not update in-place: " + problems.joined(separator: "; "))
        }
        return .update
    }

    /// What becomes of a pod the agent does not know.
    enum AddVerdict: Equatable {
        /// Its `metadata.uid` is another known pod's: refused, in the API server's words.
        case duplicateUID(String)
        /// Admitted with `uid`: its own, the one the runtime's sandbox carries (a lost store:
        /// its containers are adopted), or a new one (`minted`: nothing of it can exist yet).
        case admit(uid: String, minted: Bool)
    }

    /// - Parameters:
    ///   - runtimeUID: the UID of a sandbox this agent made for `namespace/name` that the runtime
    ///     still holds, if any.
    ///   - newUID: makes a new UID.
    static func add(
        _ entry: DesiredPods.Entry, known: KnownPods, runtimeUID: String?,
        newUID: () -> String
    ) -> AddVerdict {
        if let uid = entry.pod.metadata.uid {
            if let other = known.item(uid: uid) {
                return .duplicateUID(
                    "metadata.uid: Duplicate value: \"\(uid)\": pod \(other.record.namespace)/\(other.record.name) from \(other.record.source) has this uid"
                )
            }
            return .admit(uid: uid, minted: false)
        }
        if let runtimeUID { return .admit(uid: runtimeUID, minted: false) }
        return .admit(uid: newUID(), minted: true)
    }
}

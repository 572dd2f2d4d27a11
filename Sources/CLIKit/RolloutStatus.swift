import PodAPI

/// `rollout status cloneset/NAME`: where a CloneSet's rollout stands, in kubectl's words for a
/// Deployment (and a StatefulSet's for a partition), from the set's status alone.
public enum RolloutStatus {
    public enum Verdict: Sendable, Hashable {
        /// Still rolling: the line to print.
        case waiting(String)
        /// Done: the last line.
        case done(String)
        /// Failed (`Progressing=False ProgressDeadlineExceeded`): the error.
        case failed(String)
    }

    public static func evaluate(_ set: JSONValue) -> Verdict {
        let name = set["metadata"]?.string("name") ?? ""
        let status = set["status"] ?? .object([:])
        let generation = set["metadata"]?.integer("generation") ?? 0
        guard (status.integer("observedGeneration") ?? 0) >= generation else {
            return .waiting("Waiting for cloneset spec update to be observed...")
        }
        if let c = status.array("conditions").first(where: { $0.string("type") == "Progressing" }),
            c.string("reason") == "ProgressDeadlineExceeded"
        {
            return .failed("error: cloneset \"\(name)\" exceeded its progress deadline")
        }
        let desired = Int(set["spec"]?.integer("replicas") ?? 0)
        let replicas = Int(status.integer("replicas") ?? 0)
        let updated = Int(status.integer("updatedReplicas") ?? 0)
        let updatedAvailable = Int(status.integer("updatedAvailableReplicas") ?? status.integer("updatedReadyReplicas") ?? 0)
        let expected = Int(status.integer("expectedUpdatedReplicas") ?? Int64(desired))
        let prefix = "Waiting for cloneset \"\(name)\" rollout to finish: "
        if updated < expected {
            return .waiting(prefix + "\(updated) out of \(expected) new replicas have been updated...")
        }
        if replicas > desired {
            return .waiting(prefix + "\(replicas - desired) old replicas are pending termination...")
        }
        if updatedAvailable < expected {
            return .waiting(prefix + "\(updatedAvailable) of \(expected) updated replicas are available...")
        }
        if replicas < desired {
            return .waiting(prefix + "\(replicas) of \(desired) replicas exist...")
        }
        if expected < desired {
            return .done("partitioned roll out complete: \(updated) new pods have been updated...")
        }
        return .done("cloneset \"\(name)\" successfully rolled out")
    }
}

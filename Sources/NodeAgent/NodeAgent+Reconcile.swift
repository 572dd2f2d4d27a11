import Foundation
import PodAPI
import StateStore

extension NodeAgent {
    /// The conditions kubelet owns in a pod's status.
    static let kubeletConditionTypes = WellKnown.kubeletConditionTypes

    /// Queues this agent's current status of pod `uid` again when the API's copy disagrees with
    /// it (kubelet's status manager reconciles the same way): `apiConditions` are the API object's
    /// condition statuses by type. A node lifecycle controller that marked the pod not Ready while
    /// the node was silent is corrected when the node is heard again, and a status lost with a
    /// controller's store is sent again.
    /// - Returns: whether a status was queued.
    @discardableResult
    public func reconcileStatus(uid: String, apiConditions: [String: String]) -> Bool {
        guard let pod = statuses.get(uid), Self.differs(pod, apiConditions) else { return false }
        let namespace = pod.metadata.namespace ?? "default"
        let name = pod.metadata.name ?? ""
        let statuses = self.statuses
        let queued: Bool
        do {
            // The cache is read again inside the transaction: a sync that has a newer status
            // caches it before its own write, so whichever transaction comes last queues the
            // newest status.
            queued = try store.write { tx in
                guard let latest = statuses.get(uid), Self.differs(latest, apiConditions), let status = latest.status,
                    let data = try? StatusPublisher.encoder.encode(status)
                else { return false }
                _ = try tx.enqueueStatus(
                    podUID: uid, namespace: namespace, name: name, statusJSON: String(decoding: data, as: UTF8.self), at: Date())
                return true
            }
        } catch {
            logger.warning("cannot queue the status again", metadata: ["pod": "\(namespace)/\(name)", "error": "\(error)"])
            return false
        }
        guard queued else { return false }
        outbox?.statusQueued()
        logger.info("the API's status of the pod differs from the agent's: sent again", metadata: ["pod": "\(namespace)/\(name)"])
        return true
    }

    /// Whether the kubelet-owned conditions of `pod`'s status differ from the API's.
    private static func differs(_ pod: Pod, _ apiConditions: [String: String]) -> Bool {
        let mine = (pod.status?.conditions ?? []).filter { kubeletConditionTypes.contains($0.type) }
        return !mine.isEmpty && !mine.allSatisfy { apiConditions[$0.type] == $0.status }
    }
}

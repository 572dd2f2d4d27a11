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
        guard let pod = statuses.get(uid), let status = pod.status else { return false }
        let mine = (status.conditions ?? []).filter { Self.kubeletConditionTypes.contains($0.type) }
        if mine.isEmpty || mine.allSatisfy({ apiConditions[$0.type] == $0.status }) { return false }
        guard let data = try? StatusPublisher.encoder.encode(status) else { return false }
        let json = String(decoding: data, as: UTF8.self)
        let namespace = pod.metadata.namespace ?? "default"
        let name = pod.metadata.name ?? ""
        do {
            try store.write { tx in _ = try tx.enqueueStatus(podUID: uid, namespace: namespace, name: name, statusJSON: json, at: Date()) }
        } catch {
            logger.warning("cannot queue the status again", metadata: ["pod": "\(namespace)/\(name)", "error": "\(error)"])
            return false
        }
        outbox?.statusQueued()
        logger.info("the API's status of the pod differs from the agent's: sent again", metadata: ["pod": "\(namespace)/\(name)"])
        return true
    }
}

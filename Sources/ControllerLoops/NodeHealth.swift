import Foundation
import PodAPI

/// The node lifecycle controller's decision for one node (pure): a node whose kubelet has not
/// renewed its Lease nor posted its status for `gracePeriod` seconds (40 s, the node monitor
/// grace period) gets every condition `Unknown` with reason `NodeStatusUnknown` and message
/// `Kubelet stopped posting node status.`, the `node.kubernetes.io/unreachable` NoSchedule taint,
/// and its pods' Ready condition False; when it posts again (its own Ready True) the taint goes.
public enum NodeHealth {
    public enum Action: Sendable, Hashable {
        case none
        case markUnknown
        case clearUnreachable
    }

    public static let unreachableTaint = "node.kubernetes.io/unreachable"

    /// The last sign of life: the lease's `renewTime`, the Ready condition's `lastHeartbeatTime`,
    /// or `watchingSince` (the controller's start: a controller that just started gives every
    /// node a full grace period), whichever is latest.
    public static func lastSeen(node: JSONValue, lease: JSONValue?, watchingSince: Date) -> Date {
        var latest = watchingSince
        if let renew = lease?["spec"]?.string("renewTime").flatMap(Time.parse) { latest = max(latest, renew.date) }
        if let ready = node["status"]?.array("conditions").first(where: { $0.string("type") == "Ready" }),
            let beat = ready.string("lastHeartbeatTime").flatMap(Time.parse)
        {
            latest = max(latest, beat.date)
        }
        return latest
    }

    public static func decide(node: JSONValue, lease: JSONValue?, now: Date, watchingSince: Date, gracePeriod: TimeInterval = 40) -> Action
    {
        let ready = node["status"]?.array("conditions").first { $0.string("type") == "Ready" }
        let tainted = (node["spec"]?.array("taints") ?? []).contains { $0.string("key") == unreachableTaint }
        let silent = now.timeIntervalSince(lastSeen(node: node, lease: lease, watchingSince: watchingSince)) > gracePeriod
        if silent {
            return ready?.string("status") == "Unknown" && tainted ? .none : .markUnknown
        }
        if tainted, ready?.string("status") == "True" { return .clearUnreachable }
        return .none
    }

    /// `node` with every condition Unknown (`NodeStatusUnknown`) and the unreachable taint.
    public static func markedUnknown(_ node: JSONValue, now: Date) -> JSONValue {
        var node = node
        var status = node["status"] ?? .object([:])
        var conditions = status.array("conditions")
        if !conditions.contains(where: { $0.string("type") == "Ready" }) {
            conditions.append(["type": "Ready", "status": "False"])
        }
        let at = JSONValue.string(Time(now).description)
        conditions = conditions.map { c in
            if c.string("status") == "Unknown" { return c }
            var c = c
            c.set("status", "Unknown")
            c.set("reason", "NodeStatusUnknown")
            c.set("message", "Kubelet stopped posting node status.")
            c.set("lastTransitionTime", at)
            return c
        }
        status.set("conditions", .array(conditions))
        node.set("status", status)
        var spec = node["spec"] ?? .object([:])
        var taints = spec.array("taints")
        if !taints.contains(where: { $0.string("key") == unreachableTaint }) {
            taints.append(["key": .string(unreachableTaint), "effect": "NoSchedule", "timeAdded": at])
        }
        spec.set("taints", .array(taints))
        node.set("spec", spec)
        return node
    }

    /// `node` without the unreachable taint.
    public static func cleared(_ node: JSONValue) -> JSONValue {
        var node = node
        var spec = node["spec"] ?? .object([:])
        let taints = spec.array("taints").filter { $0.string("key") != unreachableTaint }
        spec.set("taints", taints.isEmpty ? nil : .array(taints))
        node.set("spec", spec)
        return node
    }

    /// A pod's status with Ready False (as MarkPodsNotReady), nil when it already is.
    public static func podNotReady(_ pod: JSONValue, now: Date) -> JSONValue? {
        var status = pod["status"] ?? .object([:])
        var conditions = status.array("conditions")
        guard let i = conditions.firstIndex(where: { $0.string("type") == "Ready" }), conditions[i].string("status") != "False" else {
            return nil
        }
        conditions[i].set("status", "False")
        conditions[i].set("lastTransitionTime", .string(Time(now).description))
        status.set("conditions", .array(conditions))
        var updated = pod
        updated.set("status", status)
        return updated
    }
}

import Foundation
import PodAPI

/// `kubectl get nodes`: `NAME STATUS ROLES AGE VERSION`. STATUS is `Ready`, `NotReady` (also for
/// Unknown, as kubectl), `Unknown` without a Ready condition, with `,SchedulingDisabled` for a
/// cordoned node; VERSION the node's `kubeletVersion`.
public struct NodeTablePrinter: Sendable {
    public var now: Date

    public init(now: Date = Date()) { self.now = now }

    public func print(_ nodes: [JSONValue]) -> String {
        let rows = nodes.map { node -> [String] in
            let ready = node["status"]?.array("conditions").first { $0.string("type") == "Ready" }?.string("status")
            var status = ready == nil ? "Unknown" : ready == "True" ? "Ready" : "NotReady"
            if node["spec"]?["unschedulable"]?.boolValue == true { status += ",SchedulingDisabled" }
            let created = node["metadata"]?.string("creationTimestamp").flatMap(Time.parse)
            return [
                node["metadata"]?.string("name") ?? "", status, "<none>", HumanDuration.since(created, now: now),
                node["status"]?["nodeInfo"]?.string("kubeletVersion") ?? "",
            ]
        }
        return TabWriter.kubectlTable.format(rows: [["NAME", "STATUS", "ROLES", "AGE", "VERSION"]] + rows)
    }
}

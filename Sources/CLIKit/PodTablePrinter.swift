import Foundation
import PodAPI

/// `kubectl get pods` as kubectl prints it: `NAME READY STATUS RESTARTS AGE` (with
/// `NAMESPACE` first for `-A`, and `IP NODE NOMINATED NODE READINESS GATES` for `-o wide`),
/// aligned by ``TabWriter/kubectlTable``. The cells follow kubectl's `printPod`.
public struct PodTablePrinter: Sendable {
    /// Adds `IP NODE NOMINATED NODE READINESS GATES`.
    public var wide: Bool
    /// Adds `NAMESPACE` as the first column (`-A`).
    public var withNamespace: Bool
    /// The instant ages are measured to.
    public var now: Date

    public init(wide: Bool = false, withNamespace: Bool = false, now: Date = Date()) {
        self.wide = wide
        self.withNamespace = withNamespace
        self.now = now
    }

    /// The header, one row per pod in the order given, each line ending in `\n`.
    public func print(_ pods: [Pod]) -> String {
        var header = ["NAME", "READY", "STATUS", "RESTARTS", "AGE"]
        if wide { header += ["IP", "NODE", "NOMINATED NODE", "READINESS GATES"] }
        if withNamespace { header.insert("NAMESPACE", at: 0) }
        return TabWriter.kubectlTable.format(rows: [header] + pods.map(row))
    }

    /// One pod's cells, in the header's order.
    public func row(_ pod: Pod) -> [String] {
        let summary = PodSummary(pod, now: now)
        var cells = [
            pod.metadata.name ?? "", summary.ready, summary.status, summary.restarts,
            HumanDuration.since(pod.metadata.creationTimestamp, now: now),
        ]
        if wide {
            let ip = pod.status?.podIPs?.first?.ip ?? ""
            let node = pod.spec.nodeName ?? ""
            cells += [ip.isEmpty ? "<none>" : ip, node.isEmpty ? "<none>" : node, "<none>", summary.readinessGates]
        }
        if withNamespace { cells.insert(pod.metadata.namespace ?? "default", at: 0) }
        return cells
    }
}

import Foundation
import PodAPI

/// `kubectl get clonesets` with the printer columns of kruise's CRD: `NAME DESIRED UPDATED
/// UPDATED_READY READY TOTAL AGE` (`.spec.replicas`, `.status.updatedReplicas`,
/// `.status.updatedReadyReplicas`, `.status.readyReplicas`, `.status.replicas`); an absent
/// count prints empty, as kubectl prints an absent column.
public struct CloneSetTablePrinter: Sendable {
    public var now: Date

    public init(now: Date = Date()) { self.now = now }

    public func print(_ sets: [JSONValue]) -> String {
        func count(_ v: JSONValue?) -> String { v?.integerValue.map(String.init) ?? "" }
        let rows = sets.map { cs -> [String] in
            let status = cs["status"]
            let created = cs["metadata"]?.string("creationTimestamp").flatMap(Time.parse)
            return [
                cs["metadata"]?.string("name") ?? "", count(cs["spec"]?["replicas"]), count(status?["updatedReplicas"]),
                count(status?["updatedReadyReplicas"]), count(status?["readyReplicas"]), count(status?["replicas"]),
                HumanDuration.since(created, now: now),
            ]
        }
        return TabWriter.kubectlTable.format(rows: [["NAME", "DESIRED", "UPDATED", "UPDATED_READY", "READY", "TOTAL", "AGE"]] + rows)
    }
}

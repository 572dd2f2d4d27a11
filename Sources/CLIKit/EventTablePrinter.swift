import Foundation
import PodAPI

/// `kubectl get events` as kubectl prints it: `LAST SEEN TYPE REASON OBJECT MESSAGE`
/// (`NAMESPACE` first with `-A`), OBJECT as `pod/<name>`, aligned by ``TabWriter/kubectlTable``.
/// Rows are in order of `lastTimestamp` (a stable sort of the given order).
public struct EventTablePrinter: Sendable {
    /// Adds `NAMESPACE` as the first column.
    public var withNamespace: Bool
    /// The instant ages are measured to.
    public var now: Date

    public init(withNamespace: Bool = false, now: Date = Date()) {
        self.withNamespace = withNamespace
        self.now = now
    }

    /// The header and one row per event, each line ending in `\n`.
    public func print(_ events: [Event]) -> String {
        var header = ["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]
        if withNamespace { header.insert("NAMESPACE", at: 0) }
        return TabWriter.kubectlTable.format(rows: [header] + EventOrder.sorted(events).map(row))
    }

    /// One event's cells, in the header's order.
    public func row(_ event: Event) -> [String] {
        let kind = (event.involvedObject.kind ?? "").lowercased()
        let name = event.involvedObject.name ?? ""
        let object = name.isEmpty ? kind : "\(kind)/\(name)"
        var cells = [
            HumanDuration.since(event.lastTimestamp, now: now), event.type, event.reason, object,
            event.message.trimmingCharacters(in: .whitespacesAndNewlines),
        ]
        if withNamespace {
            cells.insert(event.involvedObject.namespace ?? event.metadata.namespace ?? "", at: 0)
        }
        return cells
    }
}

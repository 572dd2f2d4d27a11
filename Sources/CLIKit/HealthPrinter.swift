import Foundation
import PodAPI

/// `inplacectl status`: the agent's health in `kubectl describe`'s layout.
///
/// ```
/// Node:             node-1
/// Status:           ok
/// Runtime:          mock 1.0.0
/// Agent Version:    0.1.0
/// Pods:             3
/// Last Relist:      1.5s ago
/// Manifest Errors:  <none>
/// ```
public enum HealthPrinter {
    /// The description, each line ending in `\n`; manifest errors one per line, indented.
    public static func print(_ health: AgentHealth) -> String {
        var w = DescribeWriter()
        w.write(0, "Node:\t\(health.nodeName)\n")
        w.write(0, "Status:\t\(health.status)\n")
        w.write(0, "Runtime:\t\(health.runtimeName) \(health.runtimeVersion)\n")
        w.write(0, "Agent Version:\t\(health.version)\n")
        if let phases = health.podsByPhase, !phases.isEmpty {
            let order = ["Pending", "Running", "Succeeded", "Failed", "Unknown"]
            let keys = phases.keys.sorted { (order.firstIndex(of: $0) ?? 9, $0) < (order.firstIndex(of: $1) ?? 9, $1) }
            w.write(0, "Pods:\t\(health.pods) (" + keys.map { "\($0) \(phases[$0]!)" }.joined(separator: ", ") + ")\n")
        } else {
            w.write(0, "Pods:\t\(health.pods)\n")
        }
        if let c = health.controller {
            w.write(0, "Controller:\t\(c.url)\n")
            w.write(1, "Last Success:\t\(c.lastSuccess.map { HumanDuration.since($0, now: Date()) + " ago" } ?? "<never>")\n")
            w.write(
                1,
                "Last Error:\t\(c.lastError.map { e in (c.lastErrorTime.map { HumanDuration.since($0, now: Date()) + " ago: " } ?? "") + e } ?? "<none>")\n"
            )
            w.write(1, "Queue Depth:\t\(c.queueDepth)\n")
            w.write(1, "Delivered:\t\(c.delivered) (failed attempts \(c.failed))\n")
            w.write(1, "Heartbeats:\t\(c.heartbeatsSent) sent, \(c.heartbeatsFailed) failed\n")
        } else {
            w.write(0, "Controller:\t<none>\n")
        }
        if let error = health.storeWriteError {
            let failures = health.storeWriteFailures ?? 1
            if failures > 0 {
                let when = health.storeWriteErrorTime.map { HumanDuration.since($0, now: Date()) + " ago: " } ?? ""
                w.write(0, "State Store:\t\(failures) write\(failures == 1 ? "" : "s") refused in a row, the last \(when)\(error)\n")
            } else {
                // A problem of the database file itself (removed or replaced while open): the
                // writes go through, to a file that is no longer the one at the path.
                let since = health.storeWriteErrorTime.map { " (since " + HumanDuration.since($0, now: Date()) + " ago)" } ?? ""
                w.write(0, "State Store:\t\(error)\(since)\n")
            }
        }
        if let s = health.secondsSinceRelist {
            let mode = health.pleg == "evented" ? " (container events; relist every 300s)" : ""
            w.write(0, "Last Relist:\t\(s < 120 ? String(format: "%.1fs", s) : HumanDuration.string(s)) ago\(mode)\n")
        } else {
            w.write(0, "Last Relist:\t<never>\n")
        }
        if health.manifestErrors.isEmpty {
            w.write(0, "Manifest Errors:\t<none>\n")
        } else {
            w.write(0, "Manifest Errors:\n")
            for e in health.manifestErrors { w.write(1, "\(e.description)\n") }
        }
        if let warnings = health.manifestWarnings, !warnings.isEmpty {
            w.write(0, "Manifest Warnings:\n")
            for m in warnings { w.write(1, "\(m)\n") }
        }
        return TabWriter.kubectlDescribe.format(w.text)
    }
}

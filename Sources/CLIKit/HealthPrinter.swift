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
        w.write(0, "Pods:\t\(health.pods)\n")
        if let s = health.secondsSinceRelist {
            w.write(0, "Last Relist:\t\(s < 120 ? String(format: "%.1fs", s) : HumanDuration.string(s)) ago\n")
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

import Foundation
import PodAPI

/// `describe cloneset NAME`, laid out as kubectl describes a Deployment: name, labels,
/// selector, replicas (`5 desired | 5 updated | 5 total | 5 available | 0 unavailable`), the
/// update strategy with kruise's fields, revisions, the pod template's containers, conditions
/// and events.
public struct CloneSetDescriber: Sendable {
    public var now: Date

    public init(now: Date = Date()) { self.now = now }

    public func describe(_ set: JSONValue, events: [Event]) -> String {
        var w = DescribeWriter()
        let meta = set["metadata"] ?? .null
        let spec = set["spec"] ?? .null
        let status = set["status"] ?? .null
        func labels(_ v: JSONValue?) -> String {
            let pairs = (v?.objectValue ?? [:]).compactMapValues(\.stringValue).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            return pairs.isEmpty ? "<none>" : pairs.joined(separator: ",")
        }
        func n(_ v: JSONValue?) -> Int64 { v?.integerValue ?? 0 }
        w.write(0, "Name:\t\(meta.string("name") ?? "")\n")
        w.write(0, "Namespace:\t\(meta.string("namespace") ?? "default")\n")
        w.write(0, "CreationTimestamp:\t\(meta.string("creationTimestamp") ?? "<unset>")\n")
        w.write(0, "Labels:\t\(labels(meta["labels"]))\n")
        let annotations = (meta["annotations"]?.objectValue ?? [:]).filter { $0.key != "kubectl.kubernetes.io/last-applied-configuration" }
        w.write(0, "Annotations:\t\(labels(.object(annotations)))\n")
        w.write(0, "Selector:\t\(labels(spec["selector"]?["matchLabels"]))\n")
        let total = n(status["replicas"])
        let available = n(status["availableReplicas"])
        w.write(
            0,
            "Replicas:\t\(n(spec["replicas"])) desired | \(n(status["updatedReplicas"])) updated | \(total) total | \(available) available | \(max(total - available, 0)) unavailable\n"
        )
        let strategy = spec["updateStrategy"] ?? .null
        let rolling = strategy["rollingUpdate"] ?? strategy
        let policy = rolling.string("podUpdatePolicy") ?? strategy.string("type") ?? "ReCreate"
        w.write(0, "UpdateStrategy:\t\(strategy.string("type") ?? "RollingUpdate")\n")
        w.write(1, "PodUpdatePolicy:\t\(policy)\n")
        func text(_ v: JSONValue?, _ fallback: String) -> String { v?.integerValue.map(String.init) ?? v?.stringValue ?? fallback }
        w.write(1, "Partition:\t\(text(rolling["partition"], "0"))\n")
        w.write(1, "MaxUnavailable:\t\(text(rolling["maxUnavailable"], "20%"))\n")
        w.write(1, "MaxSurge:\t\(text(rolling["maxSurge"], "0"))\n")
        w.write(1, "Paused:\t\(rolling["paused"] == .bool(true) ? "true" : "false")\n")
        w.write(1, "GracePeriodSeconds:\t\(text(rolling["inPlaceUpdateStrategy"]?["gracePeriodSeconds"], "0"))\n")
        w.write(0, "MinReadySeconds:\t\(n(spec["minReadySeconds"]))\n")
        if let deadline = spec["progressDeadlineSeconds"]?.integerValue { w.write(0, "ProgressDeadlineSeconds:\t\(deadline)\n") }
        w.write(0, "CurrentRevision:\t\(status.string("currentRevision") ?? "<none>")\n")
        w.write(0, "UpdateRevision:\t\(status.string("updateRevision") ?? "<none>")\n")
        w.write(0, "Pod Template:\n")
        w.write(1, "Labels:\t\(labels(spec["template"]?["metadata"]?["labels"]))\n")
        w.write(1, "Containers:\n")
        for c in spec["template"]?["spec"]?.array("containers") ?? [] {
            w.write(2, "\(c.string("name") ?? ""):\n")
            w.write(3, "Image:\t\(c.string("image") ?? "")\n")
        }
        let conditions = status.array("conditions")
        if conditions.isEmpty {
            w.write(0, "Conditions:\t<none>\n")
        } else {
            w.write(0, "Conditions:\n  Type\tStatus\tReason\n")
            w.write(1, "----\t------\t------\n")
            for c in conditions { w.write(1, "\(c.string("type") ?? "")\t\(c.string("status") ?? "")\t\(c.string("reason") ?? "")\n") }
        }
        PodDescriber.writeEvents(&w, events, now: now)
        return TabWriter.kubectlDescribe.format(w.text)
    }
}

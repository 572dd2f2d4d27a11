import PodAPI

/// Where pending pods go (the scheduler's decision, pure): each pod without `spec.nodeName`, not
/// being deleted, oldest first, to the Ready node that fits it (its `nodeSelector` labels, its
/// tolerations of every `NoSchedule` taint, the node's `allocatable.pods`, else 110) with the fewest
/// pods, ties to the first name.
public enum Placement {
    public struct Binding: Sendable, Hashable {
        public var namespace: String
        public var name: String
        public var uid: String
        public var node: String
    }

    public struct Unschedulable: Sendable, Hashable {
        public var namespace: String
        public var name: String
        /// `0/3 nodes are available: 1 node(s) had untolerated taint {k: v}, 2 node(s) didn't match Pod's node affinity/selector.`
        public var message: String
    }

    /// The bindings and the pods that fit nowhere, for `pods` and `nodes` as the API holds them.
    public static func decide(pods: [JSONValue], nodes: [JSONValue]) -> (bindings: [Binding], unschedulable: [Unschedulable]) {
        var counts: [String: Int] = [:]
        for pod in pods {
            guard let node = pod["spec"]?.string("nodeName"), !node.isEmpty, !isTerminal(pod) else { continue }
            counts[node, default: 0] += 1
        }
        let pending = pods.filter { pod in
            (pod["spec"]?.string("nodeName") ?? "").isEmpty && pod["metadata"]?["deletionTimestamp"] == nil && !isTerminal(pod)
        }.sorted { a, b in
            let ta = a["metadata"]?.string("creationTimestamp") ?? ""
            let tb = b["metadata"]?.string("creationTimestamp") ?? ""
            return ta != tb ? ta < tb : (a["metadata"]?.string("name") ?? "") < (b["metadata"]?.string("name") ?? "")
        }
        let sortedNodes = nodes.sorted { ($0["metadata"]?.string("name") ?? "") < ($1["metadata"]?.string("name") ?? "") }
        var bindings: [Binding] = []
        var unschedulable: [Unschedulable] = []
        for pod in pending {
            var reasons: [String: Int] = [:]
            var best: (name: String, count: Int)?
            for node in sortedNodes {
                let name = node["metadata"]?.string("name") ?? ""
                if let reason = misfit(pod, node, count: counts[name, default: 0]) {
                    reasons[reason, default: 0] += 1
                    continue
                }
                let count = counts[name, default: 0]
                if best == nil || count < best!.count { best = (name, count) }
            }
            let namespace = pod["metadata"]?.string("namespace") ?? "default"
            let podName = pod["metadata"]?.string("name") ?? ""
            if let best {
                counts[best.name, default: 0] += 1
                bindings.append(Binding(namespace: namespace, name: podName, uid: pod["metadata"]?.string("uid") ?? "", node: best.name))
            } else {
                let detail = reasons.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
                let message = "0/\(nodes.count) nodes are available" + (detail.isEmpty ? "." : ": \(detail).")
                unschedulable.append(Unschedulable(namespace: namespace, name: podName, message: message))
            }
        }
        return (bindings, unschedulable)
    }

    static func isTerminal(_ pod: JSONValue) -> Bool {
        let phase = pod["status"]?.string("phase")
        return phase == "Succeeded" || phase == "Failed"
    }

    /// Why `pod` cannot go to `node` (the scheduler's wording), nil when it fits.
    static func misfit(_ pod: JSONValue, _ node: JSONValue, count: Int) -> String? {
        let ready = node["status"]?.array("conditions").first { $0.string("type") == "Ready" }?.string("status") == "True"
        if !ready { return "node(s) were not ready" }
        if node["spec"]?["unschedulable"]?.boolValue == true { return "node(s) were unschedulable" }
        let tolerations = pod["spec"]?.array("tolerations") ?? []
        for taint in node["spec"]?.array("taints") ?? [] where taint.string("effect") == "NoSchedule" {
            if !tolerations.contains(where: { tolerates($0, taint) }) {
                return "node(s) had untolerated taint {\(taint.string("key") ?? ""): \(taint.string("value") ?? "")}"
            }
        }
        let labels = node["metadata"]?["labels"]?.objectValue?.compactMapValues(\.stringValue) ?? [:]
        for (key, value) in pod["spec"]?["nodeSelector"]?.objectValue ?? [:] where labels[key] != value.stringValue {
            return "node(s) didn't match Pod's node affinity/selector"
        }
        let capacity =
            node["status"]?["allocatable"]?["pods"].flatMap(quantity) ?? node["status"]?["capacity"]?["pods"].flatMap(quantity) ?? 110
        if count >= capacity { return "Too many pods" }
        return nil
    }

    static func quantity(_ v: JSONValue) -> Int? { v.stringValue.flatMap(Int.init) ?? v.integerValue.map(Int.init) }

    /// A toleration matches a taint as v1helper.TolerationsTolerateTaint does.
    static func tolerates(_ toleration: JSONValue, _ taint: JSONValue) -> Bool {
        if let effect = toleration.string("effect"), !effect.isEmpty, effect != taint.string("effect") { return false }
        let key = toleration.string("key") ?? ""
        let op = toleration.string("operator") ?? "Equal"
        if key.isEmpty { return op == "Exists" }
        if key != taint.string("key") { return false }
        return op == "Exists" || (toleration.string("value") ?? "") == (taint.string("value") ?? "")
    }
}

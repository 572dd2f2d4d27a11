import KubeAPI
import PodAPI

/// The Endpoints of a Service, as kube-controller-manager's endpoints controller builds them:
/// the pods of the service's namespace that its selector matches, that have an IP and are not
/// being deleted, grouped into subsets by their resolved ports (a `targetPort` by name is looked
/// up in each pod's container ports); a ready pod is in `addresses`, another in
/// `notReadyAddresses`. Ready here is stricter than kube's: the pod's Ready condition True AND
/// every readiness gate it declares True, so a gate the CloneSet controller closes
/// (`InPlaceUpdateReady`) takes the pod out at once, without waiting for its node to write Ready.
public enum EndpointsBuilder {
    /// The Endpoints object of `service` (nil for a service without selector, which kube leaves
    /// to its user).
    public static func endpoints(service: JSONValue, pods: [JSONValue]) -> JSONValue? {
        guard let selector = service["spec"]?["selector"]?.objectValue?.compactMapValues(\.stringValue), !selector.isEmpty else {
            return nil
        }
        let meta = service["metadata"] ?? .null
        let ns = meta.string("namespace") ?? "default"
        var groups: [[JSONValue]: (ready: [JSONValue], notReady: [JSONValue])] = [:]
        var order: [[JSONValue]] = []
        for pod in pods.sorted(by: { ($0["metadata"]?.string("name") ?? "") < ($1["metadata"]?.string("name") ?? "") }) {
            let podMeta = pod["metadata"] ?? .null
            guard podMeta.string("namespace") ?? "default" == ns, podMeta["deletionTimestamp"] == nil,
                let ip = pod["status"]?.string("podIP"), !ip.isEmpty
            else { continue }
            let labels = podMeta["labels"]?.objectValue?.compactMapValues(\.stringValue) ?? [:]
            guard selector.allSatisfy({ labels[$0.key] == $0.value }) else { continue }
            guard let ports = resolvedPorts(service: service, pod: pod) else { continue }
            var address: JSONValue = [
                "ip": .string(ip),
                "targetRef": [
                    "kind": "Pod", "namespace": .string(ns), "name": podMeta["name"] ?? .null, "uid": podMeta["uid"] ?? .null,
                ],
            ]
            if let node = pod["spec"]?.string("nodeName") { address.set("nodeName", .string(node)) }
            if groups[ports] == nil {
                groups[ports] = ([], [])
                order.append(ports)
            }
            if isReady(pod) { groups[ports]!.ready.append(address) } else { groups[ports]!.notReady.append(address) }
        }
        var subsets: [JSONValue] = []
        for ports in order {
            let g = groups[ports]!
            var subset: JSONValue = ["ports": .array(ports)]
            if !g.ready.isEmpty { subset.set("addresses", .array(g.ready)) }
            if !g.notReady.isEmpty { subset.set("notReadyAddresses", .array(g.notReady)) }
            subsets.append(subset)
        }
        var object: JSONValue = [
            "apiVersion": "v1", "kind": "Endpoints",
            "metadata": ["name": meta["name"] ?? .null, "namespace": .string(ns)],
        ]
        if let labels = meta["labels"] { object.set("metadata", (object["metadata"] ?? .null).with("labels", labels)) }
        if !subsets.isEmpty { object.set("subsets", .array(subsets)) }
        return object
    }

    /// Ready condition True and every declared readiness gate's condition True.
    public static func isReady(_ pod: JSONValue) -> Bool {
        let conditions = pod["status"]?.array("conditions") ?? []
        func isTrue(_ type: String) -> Bool { conditions.contains { $0.string("type") == type && $0.string("status") == "True" } }
        guard isTrue("Ready") else { return false }
        return (pod["spec"]?.array("readinessGates") ?? []).allSatisfy { isTrue($0.string("conditionType") ?? "") }
    }

    /// The endpoint ports of `pod` for the service's ports; nil when a named target port is not
    /// one of the pod's container ports (the pod serves no endpoint then).
    static func resolvedPorts(service: JSONValue, pod: JSONValue) -> [JSONValue]? {
        var out: [JSONValue] = []
        for port in service["spec"]?.array("ports") ?? [] {
            let target = port["targetPort"] ?? port["port"] ?? .null
            let number: Int64
            if let n = target.integerValue {
                number = n
            } else if let name = target.stringValue {
                let containerPorts = (pod["spec"]?.array("containers") ?? []).flatMap { $0.array("ports") }
                guard let found = containerPorts.first(where: { $0.string("name") == name })?.integer("containerPort") else { return nil }
                number = found
            } else {
                continue
            }
            var p: JSONValue = ["port": .integer(number), "protocol": .string(port.string("protocol") ?? "TCP")]
            if let name = port.string("name") { p.set("name", .string(name)) }
            out.append(p)
        }
        return out
    }
}

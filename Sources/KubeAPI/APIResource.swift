/// A resource the controller's API serves, as the Kubernetes API names it: group, version, kind,
/// plural, whether it is namespaced, and the etcd key segment kube-apiserver stores it under.
public struct APIResource: Sendable, Hashable {
    /// The API group; "" is the core group (`/api/v1`).
    public var group: String
    public var version: String
    public var kind: String
    /// The plural in URLs (`pods`).
    public var plural: String
    public var namespaced: Bool
    /// The key segment under the store prefix (`pods`; `minions` for nodes, as kube-apiserver).
    public var storageName: String

    public init(group: String, version: String, kind: String, plural: String, namespaced: Bool, storageName: String) {
        self.group = group
        self.version = version
        self.kind = kind
        self.plural = plural
        self.namespaced = namespaced
        self.storageName = storageName
    }

    /// `v1` or `group/v1`.
    public var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }
    /// `pods` or `leases.coordination.k8s.io`, as Status messages name a resource.
    public var qualifiedPlural: String { group.isEmpty ? plural : "\(plural).\(group)" }
    /// The kind of a list of these (`PodList`).
    public var listKind: String { kind + "List" }

    public static let pods = APIResource(
        group: "", version: "v1", kind: "Pod", plural: "pods", namespaced: true, storageName: "pods")
    public static let nodes = APIResource(
        group: "", version: "v1", kind: "Node", plural: "nodes", namespaced: false, storageName: "minions")
    public static let events = APIResource(
        group: "", version: "v1", kind: "Event", plural: "events", namespaced: true, storageName: "events")
    public static let leases = APIResource(
        group: "coordination.k8s.io", version: "v1", kind: "Lease", plural: "leases", namespaced: true,
        storageName: "leases")

    /// OpenKruise's CloneSet in both served versions, stored once (as v1beta1).
    public static let cloneSetsV1alpha1 = APIResource(
        group: "apps.kruise.io", version: "v1alpha1", kind: "CloneSet", plural: "clonesets", namespaced: true,
        storageName: "clonesets")
    public static let cloneSetsV1beta1 = APIResource(
        group: "apps.kruise.io", version: "v1beta1", kind: "CloneSet", plural: "clonesets", namespaced: true,
        storageName: "clonesets")

    /// Services (a selector and ports) and the Endpoints the endpoints controller keeps for them.
    public static let services = APIResource(
        group: "", version: "v1", kind: "Service", plural: "services", namespaced: true, storageName: "services/specs")
    public static let endpoints = APIResource(
        group: "", version: "v1", kind: "Endpoints", plural: "endpoints", namespaced: true, storageName: "services/endpoints")

    /// `apps/v1` ControllerRevisions: a CloneSet's template per revision.
    public static let controllerRevisions = APIResource(
        group: "apps", version: "v1", kind: "ControllerRevision", plural: "controllerrevisions", namespaced: true,
        storageName: "controllerrevisions")

    /// Every resource served.
    public static let all: [APIResource] = [
        .pods, .nodes, .events, .leases, .services, .endpoints, .cloneSetsV1alpha1, .cloneSetsV1beta1, .controllerRevisions,
    ]
}

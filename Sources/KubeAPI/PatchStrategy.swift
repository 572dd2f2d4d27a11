/// How a strategic merge patch treats the lists of a kind: the `patchMergeKey` of each list
/// merged by key, and the lists of scalars merged as sets. Every other list is replaced whole, as
/// the API server does for lists without `patchStrategy:"merge"` (containerStatuses, tolerations).
///
/// Paths are field names from the object's root joined by `.`, list items not counted
/// (`spec.containers.env` is the env of any container).
public struct PatchStrategy: Sendable {
    /// List path → the field that identifies an item.
    public var mergeKeys: [String: String]
    /// Lists of scalars merged as sets (`metadata.finalizers`).
    public var setLists: Set<String>

    public init(mergeKeys: [String: String], setLists: Set<String> = []) {
        self.mergeKeys = mergeKeys
        self.setLists = setLists
    }

    static let metadata: [String: String] = ["metadata.ownerReferences": "uid"]

    /// core/v1 Pod's merge keys.
    public static let pod = PatchStrategy(
        mergeKeys: metadata.merging(
            [
                "spec.containers": "name", "spec.initContainers": "name", "spec.ephemeralContainers": "name",
                "spec.volumes": "name", "spec.imagePullSecrets": "name",
                "spec.containers.ports": "containerPort", "spec.containers.env": "name",
                "spec.containers.volumeMounts": "mountPath", "spec.initContainers.ports": "containerPort",
                "spec.initContainers.env": "name", "spec.initContainers.volumeMounts": "mountPath",
                "status.conditions": "type", "status.podIPs": "ip", "status.hostIPs": "ip",
            ], uniquingKeysWith: { a, _ in a }),
        setLists: ["metadata.finalizers"])

    /// core/v1 Node's merge keys.
    public static let node = PatchStrategy(
        mergeKeys: metadata.merging(["status.conditions": "type", "status.addresses": "type"], uniquingKeysWith: { a, _ in a }),
        setLists: ["metadata.finalizers", "spec.podCIDRs"])

    /// Kinds without merged lists (Lease, Event).
    public static let plain = PatchStrategy(mergeKeys: metadata, setLists: ["metadata.finalizers"])

    /// The strategy of `resource`.
    public static func of(_ resource: APIResource) -> PatchStrategy {
        switch resource.kind {
        case "Pod": return .pod
        case "Node": return .node
        default: return .plain
        }
    }
}

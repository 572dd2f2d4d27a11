import KubeAPI

/// Who may do what (kube-apiserver's Node and RBAC authorizers, reduced to two roles): an admin
/// (`system:masters`) everything; a node user only its own Node (create, status), its own Lease in
/// `kube-node-lease`, reading every Node, reading pods bound to it (a list or watch must select
/// `spec.nodeName=<node>`), writing the status of and deleting pods bound to it, and Events.
/// Any other user nothing.
public enum Authorizer {
    public enum Decision: Sendable, Hashable {
        case allow
        /// Forbidden, with the reason the message ends with.
        case deny(String)
        /// Allowed only if the target pod is bound to the user's node: ask again with `boundNode`.
        case needsBoundNode
    }

    /// Decides `info` for `user`; `fieldNode` is the `spec.nodeName=` of the request's field
    /// selector, `boundNode` the target pod's `spec.nodeName` when known.
    public static func decide(user: UserInfo, info: RequestInfo, fieldNode: String?, boundNode: String?) -> Decision {
        if user.isAdmin { return .allow }
        guard let node = user.nodeName else { return .deny("no RBAC policy matched") }
        switch info.resource.plural {
        case "nodes":
            if ["get", "list", "watch"].contains(info.verb) { return .allow }
            if ["create", "update", "patch"].contains(info.verb), info.name == nil || info.name == node { return .allow }
            return .deny("can only modify its own node object")
        case "leases":
            guard info.namespace == "kube-node-lease" else { return .deny("can only access leases in kube-node-lease") }
            if ["get", "create", "update", "patch", "delete"].contains(info.verb), info.name == nil || info.name == node { return .allow }
            return .deny("can only access its own lease")
        case "events":
            return .allow
        case "pods":
            switch info.verb {
            case "list", "watch":
                return fieldNode == node ? .allow : .deny("can only list and watch pods with fieldSelector spec.nodeName=\(node)")
            case "get", "delete", "update", "patch":
                if info.verb != "get", info.verb != "delete", info.subresource != "status" {
                    return .deny("can only update the status of pods bound to it")
                }
                guard let boundNode else { return .needsBoundNode }
                return boundNode == node ? .allow : .deny("no relationship found between node '\(node)' and this object")
            default:
                return .deny("can only read pods bound to it and write their status")
            }
        default:
            return .deny("no RBAC policy matched")
        }
    }
}

/// The body of a node status patch: `{"status": <NodeStatus>}` (conditions merge by type).
struct NodeStatusPatch: Encodable {
    var status: NodeStatus
}

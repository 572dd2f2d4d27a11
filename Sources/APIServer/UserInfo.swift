/// Who made a request, as a static token file names them (kube-apiserver's `--token-auth-file`).
public struct UserInfo: Sendable, Hashable {
    public var name: String
    public var uid: String
    public var groups: [String]

    public init(name: String, uid: String = "", groups: [String] = []) {
        self.name = name
        self.uid = uid
        self.groups = groups
    }

    /// The node of a node user (`system:node:<name>` in group `system:nodes`), else nil.
    public var nodeName: String? {
        guard groups.contains("system:nodes"), name.hasPrefix("system:node:") else { return nil }
        return String(name.dropFirst("system:node:".count))
    }

    /// Members of `system:masters` may do everything.
    public var isAdmin: Bool { groups.contains("system:masters") }

    /// The user of a server run without a token file: everything is allowed.
    public static let anonymousAdmin = UserInfo(name: "system:anonymous", groups: ["system:masters"])
}

import Foundation
internal import GRDB

/// A pod sandbox the runtime created for a pod. Table `sandboxes`, primary key `id`;
/// deleted with its pod.
public struct SandboxRecord: Sendable, Hashable {
    /// The runtime's sandbox id.
    public var id: String
    public var podUID: String
    /// The sandbox attempt number (0 for the first sandbox of the pod, as CRI's metadata.attempt).
    public var attempt: Int
    /// The sandbox state as the agent last saw it (e.g. `"Ready"`, `"NotReady"`).
    public var state: String
    /// The pod IP ("" when the sandbox has none).
    public var ip: String
    public var createdAt: Date

    public init(
        id: String, podUID: String, attempt: Int = 0, state: String = "Ready", ip: String = "",
        createdAt: Date = Date()
    ) {
        self.id = id
        self.podUID = podUID
        self.attempt = attempt
        self.state = state
        self.ip = ip
        self.createdAt = createdAt
    }
}

extension SandboxRecord {
    init(row: Row) throws {
        self.init(
            id: try row.decode(forColumn: "id"),
            podUID: try row.decode(forColumn: "podUID"),
            attempt: try row.decode(forColumn: "attempt"),
            state: try row.decode(forColumn: "state"),
            ip: try row.decode(forColumn: "ip"),
            createdAt: try row.date("createdAt"))
    }

    var arguments: StatementArguments {
        [id, podUID, attempt, state, ip, createdAt.storeValue]
    }
}

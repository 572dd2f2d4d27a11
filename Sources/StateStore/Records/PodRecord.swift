import Foundation
internal import GRDB

/// A pod the agent runs: its identity, where it came from, the desired (defaulted) pod as JSON,
/// and its terminal outcome once it has one. Table `pods`, primary key `uid`, `(namespace, name)` unique.
public struct PodRecord: Sendable, Hashable {
    /// metadata.uid, or the stable UID the agent minted for the pod.
    public var uid: String
    public var namespace: String
    public var name: String
    /// Where the pod came from: the manifest file path (or a source name such as `"http"`).
    public var source: String
    /// The desired pod after decoding and defaulting, as Kubernetes JSON.
    public var podJSON: String
    /// When the agent first saw the pod.
    public var createdAt: Date
    /// status.startTime: when the agent first acted on the pod (nil until then).
    public var startTime: Date?
    /// `"Succeeded"` or `"Failed"` once the pod has terminated for good (nil while it runs).
    public var terminalPhase: String?
    /// status.reason of a terminal pod (e.g. `"DeadlineExceeded"`).
    public var terminalReason: String?
    /// status.message of a terminal pod.
    public var terminalMessage: String?
    /// When this record was last saved by the agent (set by the caller).
    public var updatedAt: Date

    public init(
        uid: String, namespace: String, name: String, source: String = "", podJSON: String = "{}",
        createdAt: Date = Date(), startTime: Date? = nil, terminalPhase: String? = nil,
        terminalReason: String? = nil, terminalMessage: String? = nil, updatedAt: Date = Date()
    ) {
        self.uid = uid
        self.namespace = namespace
        self.name = name
        self.source = source
        self.podJSON = podJSON
        self.createdAt = createdAt
        self.startTime = startTime
        self.terminalPhase = terminalPhase
        self.terminalReason = terminalReason
        self.terminalMessage = terminalMessage
        self.updatedAt = updatedAt
    }
}

extension PodRecord {
    init(row: Row) throws {
        self.init(
            uid: try row.decode(forColumn: "uid"),
            namespace: try row.decode(forColumn: "namespace"),
            name: try row.decode(forColumn: "name"),
            source: try row.decode(forColumn: "source"),
            podJSON: try row.decode(forColumn: "podJSON"),
            createdAt: try row.date("createdAt"),
            startTime: try row.optionalDate("startTime"),
            terminalPhase: try row.decode(forColumn: "terminalPhase"),
            terminalReason: try row.decode(forColumn: "terminalReason"),
            terminalMessage: try row.decode(forColumn: "terminalMessage"),
            updatedAt: try row.date("updatedAt"))
    }

    var arguments: StatementArguments {
        [
            uid, namespace, name, source, podJSON, createdAt.storeValue, startTime.storeValue,
            terminalPhase, terminalReason, terminalMessage, updatedAt.storeValue,
        ]
    }
}

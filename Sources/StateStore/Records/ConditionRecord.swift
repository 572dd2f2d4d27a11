import Foundation
internal import GRDB

/// A pod condition the agent owns (e.g. `InPlaceUpdateReady`), kept so that its
/// lastTransitionTime survives a restart. Table `conditions`, primary key `(podUID, type)`;
/// deleted with its pod.
public struct ConditionRecord: Sendable, Hashable {
    public var podUID: String
    /// The condition type, e.g. `"InPlaceUpdateReady"`.
    public var type: String
    /// `"True"`, `"False"` or `"Unknown"`.
    public var status: String
    public var reason: String?
    public var message: String?
    public var lastTransitionTime: Date

    public init(
        podUID: String, type: String, status: String, reason: String? = nil,
        message: String? = nil, lastTransitionTime: Date = Date()
    ) {
        self.podUID = podUID
        self.type = type
        self.status = status
        self.reason = reason
        self.message = message
        self.lastTransitionTime = lastTransitionTime
    }
}

extension ConditionRecord {
    init(row: Row) throws {
        self.init(
            podUID: try row.decode(forColumn: "podUID"),
            type: try row.decode(forColumn: "type"),
            status: try row.decode(forColumn: "status"),
            reason: try row.decode(forColumn: "reason"),
            message: try row.decode(forColumn: "message"),
            lastTransitionTime: try row.date("lastTransitionTime"))
    }

    var arguments: StatementArguments {
        [podUID, type, status, reason, message, lastTransitionTime.storeValue]
    }
}

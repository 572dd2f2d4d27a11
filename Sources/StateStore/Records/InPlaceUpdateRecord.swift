import Foundation
internal import GRDB

/// One in-place update of one container: from which image to which, the step it has reached, and
/// what the agent needs to resume it after a crash without a second restart. Table `updates`,
/// primary key `id` (autoincrement).
///
/// The row is written BEFORE the step it names is acted on (design.md). It is deleted with its pod
/// (`deletePod`): an update of a pod the agent no longer has must never be resumed, and the
/// status API shows history only for pods that exist. Finished updates beyond
/// `StoreOptions.maxFinishedUpdatesPerPod` are pruned, oldest first.
public struct InPlaceUpdateRecord: Sendable, Hashable {
    /// Assigned by `insertUpdate`; nil for a record not yet inserted.
    public var id: Int64?
    public var podUID: String
    public var containerName: String
    public var fromImage: String
    public var toImage: String
    /// The new container spec hash, lower-case hex.
    public var toHash: String
    public var hashAlgorithm: String
    public var oldContainerID: String?
    public var oldImageID: String?
    public var newContainerID: String?
    public var newImageID: String?
    /// An `UpdateStep` raw value: `"Detected"`, `"PrePulling"`, `"GateClosed"`, `"Grace"`,
    /// `"Stopped"`, `"Started"`, `"Verified"`, `"Completed"` or `"Failed"`.
    public var step: String
    /// When the grace period ends (stored so a restart does not reset it).
    public var graceDeadline: Date?
    /// How many pulls of `toImage` failed so far.
    public var pullAttempts: Int
    /// When to retry a failed step (pull backoff); nil when not waiting.
    public var nextAttemptAt: Date?
    public var startedAt: Date
    public var updatedAt: Date
    /// Set when the update reached `Completed` or `Failed`.
    public var finishedAt: Date?
    /// The latest human-readable message (e.g. the pull error).
    public var message: String?
    /// A JSON array of `UpdateHistoryEntry` (`{step,time,message}`), oldest first.
    public var historyJSON: String

    public init(
        id: Int64? = nil, podUID: String, containerName: String, fromImage: String, toImage: String,
        toHash: String, hashAlgorithm: String, oldContainerID: String? = nil, oldImageID: String? = nil,
        newContainerID: String? = nil, newImageID: String? = nil, step: String = UpdateStep.detected.rawValue,
        graceDeadline: Date? = nil, pullAttempts: Int = 0, nextAttemptAt: Date? = nil,
        startedAt: Date = Date(), updatedAt: Date = Date(), finishedAt: Date? = nil,
        message: String? = nil, historyJSON: String = "[]"
    ) {
        self.id = id
        self.podUID = podUID
        self.containerName = containerName
        self.fromImage = fromImage
        self.toImage = toImage
        self.toHash = toHash
        self.hashAlgorithm = hashAlgorithm
        self.oldContainerID = oldContainerID
        self.oldImageID = oldImageID
        self.newContainerID = newContainerID
        self.newImageID = newImageID
        self.step = step
        self.graceDeadline = graceDeadline
        self.pullAttempts = pullAttempts
        self.nextAttemptAt = nextAttemptAt
        self.startedAt = startedAt
        self.updatedAt = updatedAt
        self.finishedAt = finishedAt
        self.message = message
        self.historyJSON = historyJSON
    }

    /// True when `step` is `Completed` or `Failed`.
    public var isFinished: Bool { UpdateStep(rawValue: step)?.isTerminal ?? false }

    /// The decoded `historyJSON`, oldest first.
    /// - Throws: `DecodingError` when `historyJSON` is not a JSON array of `UpdateHistoryEntry`.
    public func history() throws -> [UpdateHistoryEntry] {
        try JSONDecoder().decode([UpdateHistoryEntry].self, from: Data(historyJSON.utf8))
    }

    /// Moves the record to `step`: sets `step`, `updatedAt` and `message`, appends
    /// `{step, time, message}` to `historyJSON`, and sets `finishedAt` when the step is terminal.
    /// Does not write anything: save the record with `StoreTransaction.saveUpdate` afterwards.
    /// - Throws: `DecodingError` when the existing `historyJSON` is not a JSON array of entries.
    public mutating func advance(to step: UpdateStep, at time: Date, message: String? = nil) throws {
        var entries = try history()
        entries.append(UpdateHistoryEntry(step: step.rawValue, time: time, message: message))
        historyJSON = String(decoding: try JSONEncoder().encode(entries), as: UTF8.self)
        self.step = step.rawValue
        self.updatedAt = time
        self.message = message
        if step.isTerminal { finishedAt = time }
    }
}

extension InPlaceUpdateRecord {
    init(row: Row) throws {
        self.init(
            id: try row.decode(forColumn: "id"),
            podUID: try row.decode(forColumn: "podUID"),
            containerName: try row.decode(forColumn: "containerName"),
            fromImage: try row.decode(forColumn: "fromImage"),
            toImage: try row.decode(forColumn: "toImage"),
            toHash: try row.decode(forColumn: "toHash"),
            hashAlgorithm: try row.decode(forColumn: "hashAlgorithm"),
            oldContainerID: try row.decode(forColumn: "oldContainerID"),
            oldImageID: try row.decode(forColumn: "oldImageID"),
            newContainerID: try row.decode(forColumn: "newContainerID"),
            newImageID: try row.decode(forColumn: "newImageID"),
            step: try row.decode(forColumn: "step"),
            graceDeadline: try row.optionalDate("graceDeadline"),
            pullAttempts: try row.decode(forColumn: "pullAttempts"),
            nextAttemptAt: try row.optionalDate("nextAttemptAt"),
            startedAt: try row.date("startedAt"),
            updatedAt: try row.date("updatedAt"),
            finishedAt: try row.optionalDate("finishedAt"),
            message: try row.decode(forColumn: "message"),
            historyJSON: try row.decode(forColumn: "historyJSON"))
    }

    /// Every column but `id`, in the order of `Schema.updateColumns`.
    var arguments: StatementArguments {
        [podUID, containerName, fromImage, toImage, toHash, hashAlgorithm, oldContainerID, oldImageID,
         newContainerID, newImageID, step, graceDeadline.storeValue, pullAttempts, nextAttemptAt.storeValue,
         startedAt.storeValue, updatedAt.storeValue, finishedAt.storeValue, message, historyJSON]
    }
}

import Foundation
internal import GRDB

/// One in-place update of one container: from which image to which, the step it has reached, and
/// what the agent needs to resume it after a crash without a second restart. Table `updates`,
/// primary key `id` (autoincrement).
///
/// The row is written BEFORE the step it names is acted on (docs/design.md, "Crash safety"). It is deleted with its pod
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
    /// The step reached (column `step`, its raw value; a value this build does not know reads
    /// as `failed`, so it is never resumed).
    public var step: UpdateStep
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
    /// Every step entered, oldest first (column `historyJSON`: a JSON array of
    /// `{step,time,message}`; text that does not decode reads as an empty history).
    public var history: [UpdateHistoryEntry]

    public init(
        id: Int64? = nil, podUID: String, containerName: String, fromImage: String, toImage: String,
        toHash: String, hashAlgorithm: String, oldContainerID: String? = nil, oldImageID: String? = nil,
        newContainerID: String? = nil, newImageID: String? = nil, step: UpdateStep = .detected,
        graceDeadline: Date? = nil, pullAttempts: Int = 0, nextAttemptAt: Date? = nil,
        startedAt: Date = Date(), updatedAt: Date = Date(), finishedAt: Date? = nil,
        message: String? = nil, history: [UpdateHistoryEntry] = []
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
        self.history = history
    }

    /// True when `step` is `Completed` or `Failed`.
    public var isFinished: Bool { step.isTerminal }

    /// Moves the record to `step`: sets `step`, `updatedAt` and `message`, appends
    /// `{step, time, message}` to `history`, and sets `finishedAt` when the step is terminal.
    /// The one way the agent changes an update's step. Does not write anything: save the record
    /// with `StoreTransaction.saveUpdate` afterwards.
    public mutating func advance(to step: UpdateStep, at time: Date, message: String? = nil) {
        history.append(UpdateHistoryEntry(step: step, time: time, message: message))
        self.step = step
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
            step: UpdateStep(rawValue: try row.decode(String.self, forColumn: "step")) ?? .failed,
            graceDeadline: try row.optionalDate("graceDeadline"),
            pullAttempts: try row.decode(forColumn: "pullAttempts"),
            nextAttemptAt: try row.optionalDate("nextAttemptAt"),
            startedAt: try row.date("startedAt"),
            updatedAt: try row.date("updatedAt"),
            finishedAt: try row.optionalDate("finishedAt"),
            message: try row.decode(forColumn: "message"),
            history: UpdateHistoryEntry.decodeList(try row.decode(String.self, forColumn: "historyJSON")))
    }

    /// Every column but `id`, in the order of `Schema.updateColumns`.
    var arguments: StatementArguments {
        [podUID, containerName] + stateArguments
    }

    /// The values of every column but the update's identity (`podUID`, `containerName`), in the
    /// order of `StoreTransaction.updateStateColumns`.
    var stateArguments: StatementArguments {
        [
            fromImage, toImage, toHash, hashAlgorithm, oldContainerID, oldImageID,
            newContainerID, newImageID, step.rawValue, graceDeadline.storeValue, pullAttempts, nextAttemptAt.storeValue,
            startedAt.storeValue, updatedAt.storeValue, finishedAt.storeValue, message, UpdateHistoryEntry.encodeList(history),
        ]
    }
}

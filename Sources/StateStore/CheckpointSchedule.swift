/// When the background checkpointer checkpoints the WAL: the decision, apart from the SQLite calls
/// that carry it out (`StateStore.startCheckpointing`). Fed one look at the WAL file per tick.
struct CheckpointSchedule {
    /// What to do at this tick.
    enum Action: Equatable {
        case none
        /// A PASSIVE checkpoint.
        case passive
        /// A PASSIVE checkpoint, then a RESTART one when the log is still past `restartBytes`.
        case passiveThenRestart
    }

    /// Seconds between two ticks.
    let tick: Double
    /// The longest time between two checkpoints while writes go on, in seconds.
    let period: Double
    /// Seconds without a write after which the log is checkpointed; 0: never for that reason.
    let quiet: Double
    /// The WAL size in bytes past which a RESTART follows; 0: never.
    let restartBytes: Int64

    private var sinceCheckpoint = 0.0
    private var sinceWrite = 0.0
    private var lastModified: Int64 = -1
    /// Whether the log changed since the last checkpoint.
    private var written = true
    /// Past a RESTART that failed (a reader kept the log), the next waits until the log has grown
    /// by another `restartBytes`.
    private var restartAbove: Int64

    init(period: Double, quiet: Double, restartBytes: Int64, watchSeconds: Double) {
        self.period = period
        self.quiet = quiet
        self.restartBytes = restartBytes
        self.tick = min(period, quiet > 0 ? quiet : period, watchSeconds)
        self.restartAbove = restartBytes
    }

    /// One tick: the WAL file's size (bytes) and modification time (any monotonic unit) now.
    mutating func next(walBytes: Int64, walModified: Int64) -> Action {
        sinceCheckpoint += tick
        sinceWrite += tick
        if walModified != lastModified {
            lastModified = walModified
            sinceWrite = 0
            written = true
        }
        if walBytes <= restartBytes { restartAbove = restartBytes }
        let large = restartBytes > 0 && walBytes > restartAbove
        let paused = quiet > 0 && written && sinceWrite >= quiet
        guard sinceCheckpoint >= period || paused || large else { return .none }
        sinceCheckpoint = 0
        written = false
        return large ? .passiveThenRestart : .passive
    }

    /// A RESTART asked for at a log of `walBytes` could not finish.
    mutating func restartFailed(walBytes: Int64) { restartAbove = walBytes + restartBytes }
}

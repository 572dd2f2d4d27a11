/// Tunables of a `StateStore`. The defaults suit the agent; tests shrink the caps.
public struct StoreOptions: Sendable, Hashable {
    /// SQLite's `PRAGMA synchronous` in WAL mode.
    ///
    /// `.normal` (the default): a commit is written to the WAL file (the OS has it) but not fsynced.
    /// It survives a crash or SIGKILL of the agent, which is what the "write the step before taking
    /// it" rule is about; only an OS crash or power loss may lose the last few commits, and the
    /// database stays consistent (it never loses part of a transaction). After a power loss the
    /// node reboots, the runtime's containers are gone or restarted anyway, and the agent resumes
    /// from the last step it finds, re-checking the runtime, which every step allows.
    ///
    /// `.full`: an fsync at every commit, so a commit also survives power loss, at the cost of
    /// one fsync per step (milliseconds on SSDs, much more on busy or network disks).
    public enum Synchronous: String, Sendable, Hashable {
        case normal = "NORMAL"
        case full = "FULL"
    }

    public var synchronous: Synchronous
    /// How long a writer waits for another connection's lock before failing, in seconds.
    public var busyTimeout: Double
    /// Events kept per pod; the oldest (by lastTimestamp) are pruned beyond this.
    public var maxEventsPerPod: Int
    /// Events kept in all (events outlive their pods); the oldest are pruned beyond this.
    public var maxEvents: Int
    /// Finished (Completed/Failed) in-place updates kept per pod; the oldest are pruned beyond this.
    /// Unfinished updates are never pruned.
    public var maxFinishedUpdatesPerPod: Int
    /// Run `PRAGMA quick_check` when a file is opened, so that a damaged file is reported at start
    /// rather than at some later read. Cheap at this database's size (milliseconds).
    public var checkIntegrityOnOpen: Bool
    /// The longest time, in seconds (60), between two background checkpoints of the WAL into the
    /// database file while writes go on (a commit never checkpoints on its own). Writes that
    /// pause are checkpointed sooner (`quietCheckpointSeconds`).
    public var checkpointIntervalSeconds: Double
    /// Seconds (0.5) without a write after which the WAL is checkpointed, so that checkpoints
    /// fall between bursts of writes rather than inside them: a checkpoint every 5 s landed in
    /// the middle of a burst of in-place upgrades at 5,000 pods and made the slowest of them
    /// twice as slow. 0 leaves only `checkpointIntervalSeconds` (and `walRestartBytes`).
    public var quietCheckpointSeconds: Double = 0.5
    /// The size of the WAL, in bytes (256 MiB), past which the background checkpointer makes
    /// writers wait for it (a RESTART checkpoint, after a PASSIVE one has copied what it could), so
    /// that the log starts over. Without it a burst of writes with no pause (the start-up of
    /// thousands of pods) grows the WAL without bound: a PASSIVE checkpoint never catches up with
    /// a writer that never stops, and the log only starts over once one has. 0 turns it off.
    public var walRestartBytes: Int64 = 256 << 20
    /// Bytes kept in a reserve file beside the database (`<database>.reserve`) and given back
    /// when the volume is full, so that the store can checkpoint and write again (see
    /// `SpaceReserve`); 0 (the default) keeps none. The daemon keeps 8 MiB.
    public var reserveBytes: Int64 = 0

    public init(
        synchronous: Synchronous = .normal, busyTimeout: Double = 5, maxEventsPerPod: Int = 1000,
        maxEvents: Int = 20_000, maxFinishedUpdatesPerPod: Int = 100, checkIntegrityOnOpen: Bool = true,
        checkpointIntervalSeconds: Double = 60
    ) {
        self.checkpointIntervalSeconds = checkpointIntervalSeconds
        self.synchronous = synchronous
        self.busyTimeout = busyTimeout
        self.maxEventsPerPod = maxEventsPerPod
        self.maxEvents = maxEvents
        self.maxFinishedUpdatesPerPod = maxFinishedUpdatesPerPod
        self.checkIntegrityOnOpen = checkIntegrityOnOpen
    }
}

import ContainerRuntime
import Foundation

/// A deterministic, fault-injectable, in-memory container runtime that answers ``RuntimeService``
/// as containerd answers CRI, so the agent can be tested and demonstrated without a node.
///
/// What it models (files of this module, one concern each):
/// - images (`MockRuntime+Images.swift`): a registry of pullable references (`tag → digest`; two
///   tags may share a digest) and the node's image store. `pullImage` returns the image ID (config
///   digest), as containerd does; a container's `imageRef` is its image's first repo digest and
///   `ContainerStatus.image` its first repo tag (both sorted as containerd sorts them);
/// - sandboxes and containers (`+Sandboxes`, `+Containers`): containerd's state machine, name
///   reservation, errors, exit codes and reasons; deterministic 64-hex IDs; IPs from 10.88.0.0/16;
/// - test controls (`+Controls`): per-call latency, injected faults, containers that exit, crash
///   or vanish on cue, an exec handler, and the call log;
/// - optional persistence (`+Persistence`): the node survives a restart of the agent, as
///   containerd outlives kubelet.
///
/// Every ``RuntimeService`` call is logged first, then waits its configured latency (suspending,
/// so concurrent calls overlap), then throws its injected fault if one matched, then acts
/// atomically on the actor's state. Timestamps come from `now` (nanoseconds since the Unix epoch).
public actor MockRuntime: RuntimeService {
    /// Answers `execSync` for a running container: `containerID` and `command` in, result out.
    /// Throwing a `RuntimeError` fails the call with it; any other error becomes `.failed`.
    /// Should honour task cancellation (the call's `timeoutSeconds` cancels it).
    public typealias ExecHandler = @Sendable (_ containerID: String, _ command: [String]) async throws -> ExecResult

    let runtimeName: String
    let idSeed: String
    let now: @Sendable () -> Int64
    let stateFile: URL?
    let saveDelayNanoseconds: UInt64
    let callLogCapacity: Int

    var node: NodeState
    var registryEntries: [String: RegistryEntry] = [:]
    var autoRegistry = false
    /// Whether CreateContainer creates the container's log file (``setWritesLogFiles(_:)``).
    var writesLogFiles = false
    var latencies: [MockMethod: Double] = [:]
    var faults: [InjectedFault] = []
    var behaviours = ImageKeyedSettings<ContainerBehaviour>()
    var stopExitCodes = ImageKeyedSettings<Int32>()
    var execHandler: ExecHandler?
    var callLog: [MockCall] = []
    /// The last stop timeout (seconds) of every container stopped, kept after its removal.
    var stopTimeouts: [String: Int64] = [:]
    var exitTasks: [String: Task<Void, Never>] = [:]
    /// The streams of ``containerEvents()``, by subscription number.
    var eventSubscribers: [Int: AsyncThrowingStream<ContainerEvent, any Error>.Continuation] = [:]
    var nextSubscriber = 0
    /// Whether ``containerEvents()`` offers a stream (``setEventsEnabled(_:)``).
    var eventsEnabled = true

    var dirty = false
    var saveLoopRunning = false
    var lastWrite: Task<Void, any Error>?
    /// The error of the last failed background save, nil after a successful one.
    public internal(set) var lastSaveError: String?

    /// An in-memory runtime with no persistence.
    ///
    /// - Parameters:
    ///   - runtimeName: the `runtimeName` of ``version()`` (default `mock`).
    ///   - idSeed: mixed into every generated sandbox and container ID; the same seed and the same
    ///     sequence of calls give the same IDs. Pass a fresh value to avoid reusing IDs an agent's
    ///     store may remember from an earlier, unpersisted mock.
    ///   - callLogCapacity: how many of the newest calls ``calls()`` keeps.
    ///   - now: the clock, nanoseconds since the Unix epoch (default: the wall clock).
    public init(
        runtimeName: String = "mock", idSeed: String = "", callLogCapacity: Int = 100_000,
        now: @escaping @Sendable () -> Int64 = MockRuntime.wallClockNanoseconds
    ) {
        self.init(
            node: NodeState(), stateFile: nil, saveDelaySeconds: 0, runtimeName: runtimeName, idSeed: idSeed,
            callLogCapacity: callLogCapacity, now: now)
    }

    /// A runtime whose sandboxes, containers and node images live in `stateFile` (JSON) when it
    /// is not nil: loaded now if the file exists, saved after changes.
    ///
    /// Saves are coalesced: a change schedules one save `saveDelaySeconds` later (seconds; 0 = as
    /// soon as the previous write ends) that writes the whole node once, encoded off the actor and
    /// written atomically (temporary file + rename). So a burst of calls costs one O(node) write
    /// instead of one per call, and 5,000 pods never make calls O(n²). The price: a process killed
    /// without ``flush()`` may lose the last `saveDelaySeconds` of changes. Call ``flush()`` on
    /// shutdown. The registry, latencies, faults and behaviours are configuration, not saved.
    ///
    /// - Throws: ``MockRuntimeError/unreadableStateFile(path:detail:)`` when the file exists but
    ///   cannot be read or decoded.
    public init(
        stateFile: URL?, saveDelaySeconds: Double = 0.05, runtimeName: String = "mock", idSeed: String = "",
        callLogCapacity: Int = 100_000,
        now: @escaping @Sendable () -> Int64 = MockRuntime.wallClockNanoseconds
    ) throws {
        let node = try stateFile.flatMap { try Self.loadState(from: $0) } ?? NodeState()
        self.init(
            node: node, stateFile: stateFile, saveDelaySeconds: saveDelaySeconds, runtimeName: runtimeName,
            idSeed: idSeed, callLogCapacity: callLogCapacity, now: now)
    }

    private init(
        node: NodeState, stateFile: URL?, saveDelaySeconds: Double, runtimeName: String, idSeed: String,
        callLogCapacity: Int, now: @escaping @Sendable () -> Int64
    ) {
        self.node = node
        self.stateFile = stateFile
        self.saveDelayNanoseconds = UInt64(max(0, saveDelaySeconds) * 1_000_000_000)
        self.runtimeName = runtimeName
        self.idSeed = idSeed
        self.callLogCapacity = max(1, callLogCapacity)
        self.now = now
    }

    deinit {
        for task in exitTasks.values { task.cancel() }
    }

    /// The wall clock in nanoseconds since the Unix epoch (CLOCK_REALTIME).
    public static func wallClockNanoseconds() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }

    // MARK: Version

    /// `runtimeName` (default `mock`), version `0.1.0`, API `v1`.
    public func version() async throws -> RuntimeVersion {
        try await enter(.version, "")
        return RuntimeVersion(runtimeName: runtimeName, runtimeVersion: "0.1.0", runtimeAPIVersion: "v1")
    }

    // MARK: Shared machinery

    /// Logs the call, takes a matching fault, sleeps the method's latency (outside any state
    /// change, so other calls run meanwhile), then throws the fault if there was one.
    /// `subjects` are what a fault's `matching` substring is tested against, with `argument`.
    func enter(_ method: MockMethod, _ argument: String, subjects: @autoclosure () -> [String] = []) async throws {
        record(MockCall(method: method, argument: argument, at: now()))
        // The subjects (a container's image names, ...) are worked out only when a fault waits.
        let fault = faults.isEmpty ? nil : takeFault(for: method, subjects: [argument] + subjects())
        if let seconds = latencies[method], seconds > 0 {
            do {
                try await Task.sleep(nanoseconds: UInt64(seconds * 1_000_000_000))
            } catch {
                throw RuntimeError.unavailable(call: method.criName, detail: "context canceled")
            }
        }
        if let fault { throw fault }
    }

    /// A deterministic 64-hex ID: SHA-256 of the seed, the kind and a persisted counter.
    func makeID(kind: String, number: UInt64) -> String {
        SHA256.hex("\(idSeed)/\(kind)/\(number)")
    }

    nonisolated static func labelsMatch(_ labels: [String: String], _ selector: [String: String]) -> Bool {
        selector.allSatisfy { labels[$0.key] == $0.value }
    }
}

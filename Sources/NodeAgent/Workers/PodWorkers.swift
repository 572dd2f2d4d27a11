import Foundation
import Logging
import Synchronization

/// One serial worker per pod, as kubelet's podWorkers: syncs of one pod never overlap, triggers
/// that arrive during a sync coalesce into one more sync, and a pod's wake-up (back-off end,
/// grace deadline, active deadline) is a trigger at that time. At most `maxConcurrent` pods sync
/// at once.
///
/// A worker holds no task while its pod is idle: a burst of triggers starts one short task that
/// syncs until nothing is wanted and then ends. (A task kept for the pod's whole life keeps the
/// largest async stack its syncs ever needed, tens of KiB per pod: a third of the agent's memory
/// at 1,000 pods before.)
public actor PodWorkers {
    final class Worker: @unchecked Sendable {
        private let lock = NSLock()
        private var syncWanted = false
        private var deleteWanted = false
        /// Once asked to delete, every run deletes until a delete succeeds.
        private var deleting = false
        /// The grace period (seconds) the deletion asked for, nil: the pod's own.
        private var deleteGrace: Int64?
        private var running = false
        private var ended = false
        private var runner: Task<Void, Never>?
        private var wake: Task<Void, Never>?

        /// Records a request.
        /// - Returns: true when no task runs the worker: the caller must start one.
        func request(delete: Bool, gracePeriodSeconds: Int64? = nil) -> Bool {
            lock.lock()
            defer { lock.unlock() }
            guard !ended else { return false }
            if delete { deleteWanted = true } else { syncWanted = true }
            if let gracePeriodSeconds { deleteGrace = min(deleteGrace ?? gracePeriodSeconds, gracePeriodSeconds) }
            if running { return false }
            running = true
            return true
        }

        /// Whether more work is wanted; when not, the worker is no longer running (the next
        /// request starts a task), as ``next()`` returning nil.
        func hasWork() -> Bool {
            lock.lock()
            defer { lock.unlock() }
            if !ended, deleteWanted || syncWanted { return true }
            running = false
            runner = nil
            return false
        }

        func started(_ task: Task<Void, Never>) {
            lock.lock()
            if running { runner = task }
            lock.unlock()
        }

        /// The next piece of work, or nil, and then the task is done (no longer running).
        func next() -> (delete: Bool, grace: Int64?)? {
            lock.lock()
            defer { lock.unlock() }
            if ended {
                running = false
                return nil
            }
            if deleteWanted || (deleting && syncWanted) {
                deleting = true
                deleteWanted = false
                syncWanted = false
                return (true, deleteGrace)
            }
            if syncWanted {
                syncWanted = false
                return (false, nil)
            }
            running = false
            runner = nil
            return nil
        }

        /// Whether ``end()`` was called: a task that waited for its turn does not start its sync.
        var isEnded: Bool {
            lock.lock()
            defer { lock.unlock() }
            return ended
        }

        /// Arms the wake-up (replacing the previous one); nil disarms it.
        func setWake(_ task: Task<Void, Never>?) {
            lock.lock()
            let old = wake
            wake = ended ? nil : task
            let cancelNew = ended
            lock.unlock()
            old?.cancel()
            if cancelNew { task?.cancel() }
        }

        /// Ends the worker: no request is taken any more, the wake-up is cancelled.
        /// - Returns: the task running it, if any.
        @discardableResult
        func end() -> Task<Void, Never>? {
            lock.lock()
            ended = true
            let w = wake
            let r = runner
            wake = nil
            lock.unlock()
            w?.cancel()
            return r
        }
    }

    private var workers: [String: Worker] = [:]
    private let syncer: PodSyncer
    private let limiter: AsyncLimiter
    private let logger: Logger
    private var stopped = false

    init(syncer: PodSyncer, maxConcurrent: Int, logger: Logger) {
        self.syncer = syncer
        self.limiter = AsyncLimiter(limit: max(1, maxConcurrent))
        self.logger = logger
    }

    /// Asks for a sync of the pod, starting its worker if needed.
    public func sync(_ uid: String) {
        guard !stopped else { return }
        let w = worker(uid)
        if w.request(delete: false) { start(uid, w) }
    }

    /// Asks the pod's worker to delete the pod (kill, remove sandbox, drop records) and end.
    /// - Parameter gracePeriodSeconds: the containers' stop timeout in seconds (the API's
    ///   `deletionGracePeriodSeconds`); nil: the pod's terminationGracePeriodSeconds. A shorter
    ///   one asked later wins, as a second `kubectl delete --grace-period` shortens the first.
    public func delete(_ uid: String, gracePeriodSeconds: Int64? = nil) {
        guard !stopped else { return }
        let w = worker(uid)
        if w.request(delete: true, gracePeriodSeconds: gracePeriodSeconds) { start(uid, w) }
    }

    /// The number of live workers.
    public var count: Int { workers.count }

    /// Stops every worker: no sync starts any more, and the syncs in flight are let finish,
    /// for at most `drainSeconds` seconds (default 10), then left to the process's end.
    /// Containers are left as they are.
    ///
    /// A sync is never cancelled half-way: a cancelled sync could leave a started container with
    /// no record of it while the update's own record moved on, and the next agent then took the
    /// container for the spec's newest image (a SIGTERM during an edit burst left pods Ready on
    /// an older image). One that is still running at the deadline stops with the process, as
    /// under SIGKILL, which the crash-safety rules cover.
    public func shutdown(drainSeconds: Double = 10) async {
        stopped = true
        let all = Array(workers.values)
        workers.removeAll()
        let drained = Self.drain(all)
        let deadline = Task<Void, Never> {
            try? await Task.sleep(nanoseconds: UInt64(max(0, drainSeconds) * 1e9))
        }
        await Self.firstOf(drained, deadline)
        deadline.cancel()
    }

    /// Waits for every worker's task, including one a finishing task handed the worker to.
    private static func drain(_ all: [Worker]) -> Task<Void, Never> {
        Task {
            for w in all {
                var last: Task<Void, Never>?
                while let t = w.end(), t != last {
                    await t.value
                    last = t
                }
            }
        }
    }

    /// Returns when either task ends (neither is cancelled).
    private static func firstOf(_ a: Task<Void, Never>, _ b: Task<Void, Never>) async {
        let once = Once()
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            for t in [a, b] {
                Task {
                    await t.value
                    if once.first() { c.resume() }
                }
            }
        }
    }

    /// True for the first caller only.
    private final class Once: Sendable {
        private let taken = Mutex(false)
        func first() -> Bool {
            taken.withLock { t in
                defer { t = true }
                return !t
            }
        }
    }

    private func worker(_ uid: String) -> Worker {
        if let w = workers[uid] { return w }
        let w = Worker()
        workers[uid] = w
        return w
    }

    private func start(_ uid: String, _ w: Worker) {
        w.started(Self.launch(uid, w, syncer: syncer, limiter: limiter, owner: self))
    }

    /// Starts the task that runs `w`'s next piece of work. When more is wanted once it is done,
    /// a new task takes it: a task keeps the async stack its deepest call needed until it ends
    /// (tens of KiB for a sync), and a pod whose container events ask for another sync while it
    /// syncs would hold that stack while it waits for its turn at the limiter, at start-up every
    /// pod at once (420 MiB at 5,000 pods, against 150 without).
    private nonisolated static func launch(
        _ uid: String, _ w: Worker, syncer: PodSyncer, limiter: AsyncLimiter, owner: PodWorkers, deleteRetry: Double = 1
    ) -> Task<Void, Never> {
        Task { [weak owner] in
            guard let work = w.next(), !Task.isCancelled, let owner else { return }
            // A runtime that is down is retried after 1 s doubling to 10 s.
            var retry = deleteRetry
            if work.delete {
                if await limiter.run({ w.isEnded ? false : await syncer.delete(uid: uid, gracePeriodSeconds: work.grace) }) {
                    w.end()
                    await owner.ended(uid, w)
                    return
                }
                let delay = retry
                retry = min(retry * 2, 10)
                w.setWake(wakeTask(uid, w, after: delay, delete: true, syncer: syncer, limiter: limiter, owner: owner))
            } else {
                // A worker ended while this task waited for its turn (the agent stops): no sync.
                guard let outcome = await limiter.run({ w.isEnded ? nil : await syncer.sync(uid: uid) }) else { return }
                if Task.isCancelled { return }
                if outcome.gone {
                    w.end()
                    await owner.ended(uid, w)
                    return
                }
                let wake = outcome.wakeAt.map { at in
                    wakeTask(
                        uid, w, after: min(max(0, at.timeIntervalSinceNow), 86_400), delete: false, syncer: syncer, limiter: limiter,
                        owner: owner)
                }
                w.setWake(wake)
            }
            if w.hasWork() {
                w.started(launch(uid, w, syncer: syncer, limiter: limiter, owner: owner, deleteRetry: retry))
            }
        }
    }

    /// A task that sleeps `seconds`, then asks the worker for a sync (or a delete).
    private nonisolated static func wakeTask(
        _ uid: String, _ w: Worker, after seconds: Double, delete: Bool, syncer: PodSyncer, limiter: AsyncLimiter,
        owner: PodWorkers?
    ) -> Task<Void, Never> {
        Task { [weak owner] in
            try? await Task.sleep(nanoseconds: UInt64(seconds * 1e9))
            guard !Task.isCancelled, let owner, w.request(delete: delete) else { return }
            w.started(launch(uid, w, syncer: syncer, limiter: limiter, owner: owner))
        }
    }

    private func ended(_ uid: String, _ w: Worker) {
        if workers[uid] === w { workers[uid] = nil }
    }
}

import Foundation
import Logging

/// One serial worker per pod, as kubelet's podWorkers: syncs of one pod never overlap, triggers
/// that arrive during a sync coalesce into one more sync, and a pod's wake-up (back-off end,
/// grace deadline, active deadline) is a trigger at that time. At most `maxConcurrent` pods sync
/// at once.
public actor PodWorkers {
    private final class Worker: @unchecked Sendable {
        let signal: AsyncStream<Void>.Continuation
        let stream: AsyncStream<Void>
        private let lock = NSLock()
        private var syncWanted = false
        private var deleteWanted = false
        /// The grace period (seconds) the deletion asked for, nil: the pod's own.
        private var deleteGrace: Int64?
        var task: Task<Void, Never>?

        init() {
            (stream, signal) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        }

        func request(delete: Bool, gracePeriodSeconds: Int64? = nil) {
            lock.lock()
            if delete { deleteWanted = true } else { syncWanted = true }
            if let gracePeriodSeconds { deleteGrace = min(deleteGrace ?? gracePeriodSeconds, gracePeriodSeconds) }
            lock.unlock()
            signal.yield()
        }

        var gracePeriodSeconds: Int64? {
            lock.lock()
            defer { lock.unlock() }
            return deleteGrace
        }

        func take() -> (sync: Bool, delete: Bool) {
            lock.lock()
            defer { lock.unlock() }
            let r = (syncWanted, deleteWanted)
            syncWanted = false
            deleteWanted = false
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
        worker(uid).request(delete: false)
    }

    /// Asks the pod's worker to delete the pod (kill, remove sandbox, drop records) and end.
    /// - Parameter gracePeriodSeconds: the containers' stop timeout in seconds (the API's
    ///   `deletionGracePeriodSeconds`); nil: the pod's terminationGracePeriodSeconds. A shorter
    ///   one asked later wins, as a second `kubectl delete --grace-period` shortens the first.
    public func delete(_ uid: String, gracePeriodSeconds: Int64? = nil) {
        guard !stopped else { return }
        worker(uid).request(delete: true, gracePeriodSeconds: gracePeriodSeconds)
    }

    /// The number of live workers.
    public var count: Int { workers.count }

    /// Cancels every worker; containers are left as they are.
    public func shutdown() async {
        stopped = true
        let all = workers.values.compactMap { $0.task }
        for w in workers.values {
            w.task?.cancel()
            w.signal.finish()
        }
        workers.removeAll()
        for t in all { await t.value }
    }

    private func worker(_ uid: String) -> Worker {
        if let w = workers[uid] { return w }
        let w = Worker()
        let syncer = self.syncer
        let limiter = self.limiter
        w.task = Task { [weak self] in
            var wake: Task<Void, Never>?
            defer { wake?.cancel() }
            // Once asked to delete, every request is a delete until one succeeds; a runtime that
            // is down is retried after 1 s doubling to 10 s.
            var deleting = false
            var deleteRetry = 1.0
            for await _ in w.stream {
                if Task.isCancelled { break }
                let (wantSync, wantDelete) = w.take()
                if wantDelete || deleting {
                    deleting = true
                    let grace = w.gracePeriodSeconds
                    if await limiter.run({ await syncer.delete(uid: uid, gracePeriodSeconds: grace) }) { break }
                    let delay = deleteRetry
                    deleteRetry = min(deleteRetry * 2, 10)
                    wake?.cancel()
                    wake = Task {
                        try? await Task.sleep(nanoseconds: UInt64(delay * 1e9))
                        if !Task.isCancelled { w.request(delete: true) }
                    }
                    continue
                }
                guard wantSync else { continue }
                let outcome = await limiter.run { await syncer.sync(uid: uid) }
                if outcome.gone || Task.isCancelled { break }
                wake?.cancel()
                wake = nil
                if let at = outcome.wakeAt {
                    let delay = min(max(0, at.timeIntervalSinceNow), 86_400)
                    wake = Task {
                        try? await Task.sleep(nanoseconds: UInt64(delay * 1e9))
                        if !Task.isCancelled { w.request(delete: false) }
                    }
                }
            }
            await self?.ended(uid, w)
        }
        workers[uid] = w
        return w
    }

    private func ended(_ uid: String, _ w: Worker) {
        if workers[uid] === w { workers[uid] = nil }
    }
}

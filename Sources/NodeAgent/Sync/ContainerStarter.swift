import ContainerRuntime
import Foundation
import PodAPI
import StateStore

/// Creates and starts one container in the pod's sandbox, as kubelet's startContainer: image
/// per pull policy, CreateContainer with attempt = restartCount, StartContainer; and the
/// back-off between restarts (`CrashLoopBackOff`, `ImagePullBackOff`).
struct ContainerStarter {
    let ctx: SyncContext

    /// A StartContainer error after which the runtime may still be starting the container: the
    /// connection dropped under the call (not a deadline), or containerd's "container is already
    /// in starting state" from a start still under way.
    static func startMayBeUnderway(_ e: RuntimeError) -> Bool {
        switch e {
        case .unavailable(_, let detail): return !detail.contains("deadline exceeded")
        case .failed(_, let detail): return detail.contains("already in starting state")
        case .notFound: return false
        }
    }

    /// The container's status once it has left `created`, polling every 50 ms for at most 10 s
    /// (the last status seen if it has not).
    private func settle(_ id: String) async throws -> RuntimeContainerStatus {
        let rt = ctx.runtime
        var last = try await rt.containerStatus(id: id)
        for _ in 0..<200 where last.state == .created {
            try await Task.sleep(nanoseconds: 50_000_000)
            last = try await rt.containerStatus(id: id)
        }
        return last
    }

    /// Finishes a start an earlier run of the agent left half done (its lifecycle is ``ContainerLifecycle/created``): a
    /// container still created is started, a running one (or one that ran and exited) is
    /// recorded. One that never ran is not counted as a restart: gone, or exited without a start
    /// time (containerd ends a start whose caller went away: exit 128, StartError), it is
    /// removed and the record becomes the start's intent again, so the next start reuses its
    /// restartCount and log file.
    /// - Returns: the record of the started container; nil when it never ran and the start must
    ///   be made again (the record is then the intent).
    /// - Throws: ``StartFailure`` when StartContainer is refused (the container is removed; the
    ///   record holds no ID and waits with the failure's reason); a ``RuntimeError`` when the
    ///   runtime is down; a store error.
    func resumeStart(_ run: SyncRun, _ c: Container, _ rec: ContainerRecord) async throws -> ContainerRecord? {
        guard let id = rec.containerID else { return nil }
        let observed = try await ctx.containerStatusIfPresent(id)
        if let o = observed, !(o.state == .exited && o.startedAt == 0) {
            ctx.logger.info(
                "finishing the start of a container created before the agent stopped",
                metadata: [
                    "pod": "\(run.key)", "container": "\(c.name)", "id": "\(id)", "state": "\(o.state)",
                ])
            do {
                return try await startCreated(run, c, rec, id: id)
            } catch is StartAborted {
                return nil
            } catch let f as StartFailure {
                var failed = run.containers[c.name] ?? rec
                failed.containerID = nil
                failed.lifecycle = .waiting(reason: f.reason, message: f.message)
                failed.updatedAt = Date()
                run.containers[c.name] = failed
                try await ctx.save(run, container: failed)
                throw f
            }
        }
        ctx.logger.info(
            "a container created before the agent stopped never ran; creating it again with the same restartCount",
            metadata: [
                "pod": "\(run.key)", "container": "\(c.name)", "id": "\(id)", "restartCount": "\(rec.restartCount)",
            ])
        if observed != nil, try await !forgetNeverRan(run, c, rec, id: id) {
            // The runtime keeps it: record it as the container that exited, as kubelet would.
            return try await startCreated(run, c, rec, id: id)
        }
        try await writeIntent(run, c, rec)
        return nil
    }

    /// A start that was still under way (its caller went away, or its answer was lost) ended
    /// with the container exited and never run: containerd aborts such a start (exit 128,
    /// StartError). The container was removed and the record is the start's intent again, so
    /// the start is made anew with the same restartCount.
    struct StartAborted: Error {}

    /// Removes a container that never ran and makes its record the start's intent again.
    /// - Returns: false when the runtime refuses the removal (containerd 1.6: "cannot delete
    ///   running task" for a task an aborted start left behind); the container is then kept.
    /// - Throws: a ``RuntimeError`` when the runtime is down; a store error.
    private func forgetNeverRan(_ run: SyncRun, _ c: Container, _ rec: ContainerRecord, id: String) async throws -> Bool {
        do {
            try await ctx.runtime.removeContainer(id: id)
        } catch let e as RuntimeError where e.isNotFound {
        } catch let e as RuntimeError {
            if case .unavailable = e { throw e }
            ctx.logger.warning(
                "cannot remove a container that never ran; it counts as a restart",
                metadata: [
                    "pod": "\(run.key)", "container": "\(c.name)", "id": "\(id)", "error": "\(e)",
                ])
            return false
        }
        try await writeIntent(run, c, rec)
        return true
    }

    private func writeIntent(_ run: SyncRun, _ c: Container, _ rec: ContainerRecord) async throws {
        var intent = rec
        intent.containerID = nil
        intent.imageID = ""
        intent.lifecycle = .creating
        intent.updatedAt = Date()
        run.containers[c.name] = intent
        try await ctx.save(run, container: intent)
    }

    /// Starts the next container of this name unless its restart or pull back-off is running;
    /// then it waits (`CrashLoopBackOff` / `ImagePullBackOff`) and a wake-up is scheduled. After
    /// a death the first restart is immediate and arms the back-off for the next, as kubelet's
    /// doBackOff.
    func startOrBackOff(
        _ run: SyncRun, _ c: Container, prior: ContainerRecord?, sandboxID: String,
        sandboxConfig: PodSandboxConfig
    ) async throws {
        let (counted, lastState, dead) = PodDecisions.nextStart(after: prior)
        var restartCount = counted
        if prior == nil {
            // No record of an earlier container: the pod's log directory still knows how many
            // ran (B13, as kubelet's calcRestartCountByLogDir), so restartCount does not reset
            // and no earlier log is overwritten.
            restartCount = max(
                restartCount,
                ContainerLogs.nextRestartCount(
                    podLogDirectory: sandboxConfig.logDirectory, container: c.name))
        }
        if dead, let t = lastState, prior?.lifecycle.termination != nil {
            ctx.logger.info(
                "container exited, restarting per restartPolicy",
                metadata: [
                    "pod": "\(run.key)", "container": "\(c.name)", "exitCode": "\(t.exitCode)", "reason": "\(t.reason ?? "")",
                ])
        }
        let key = ctx.crashKey(run, c)
        let pullKey = ctx.pullKey(run, c)
        let now = Date()
        if let until = ctx.backoff.blockedUntil(pullKey, now: now) {
            let image = c.image ?? ""
            try await wait(
                run, c, prior: prior, reason: "ImagePullBackOff", message: "Back-off pulling image \"\(image)\"", lastState: lastState)
            run.event(PendingEvent(container: c.name, reason: EventReason.backOff, message: "Back-off pulling image \"\(image)\""))
            run.wake(at: until)
            return
        }
        if dead {
            if let until = ctx.backoff.blockedUntil(key, now: now) {
                let delay = GoDuration.format(ctx.backoff.currentDelay(key))
                try await wait(
                    run, c, prior: prior, reason: "CrashLoopBackOff",
                    message: "back-off \(delay) restarting failed container=\(c.name) pod=\(run.name)_\(run.namespace)(\(run.uid))",
                    lastState: lastState)
                run.event(
                    PendingEvent(
                        container: c.name, type: "Warning", reason: EventReason.backOff,
                        message: "Back-off restarting failed container \(c.name) in pod \(run.name)_\(run.namespace)(\(run.uid))"))
                run.wake(at: until)
                return
            }
            ctx.backoff.fail(key, now: now)
        }
        do {
            _ = try await start(
                run, c, restartCount: restartCount, lastState: lastState, sandboxID: sandboxID, sandboxConfig: sandboxConfig)
            ctx.backoff.reset(pullKey)
        } catch let f as ImagePullFailure {
            let delay = ctx.backoff.fail(pullKey, now: now)
            ctx.logger.warning(
                "cannot start container",
                metadata: ["pod": "\(run.key)", "container": "\(c.name)", "reason": "\(f.reason)", "error": "\(f.message)"])
            try await wait(run, c, prior: prior, reason: f.reason, message: f.message, lastState: lastState)
            run.wake(after: delay)
        } catch is StartAborted {
            run.wake(after: 0.1)
        } catch let e as StartFailure {
            let delay = ctx.backoff.fail(key, now: now)
            ctx.logger.warning(
                "cannot start container",
                metadata: ["pod": "\(run.key)", "container": "\(c.name)", "reason": "\(e.reason)", "error": "\(e.message)"])
            try await wait(run, c, prior: prior, reason: e.reason, message: e.message, lastState: lastState)
            run.wake(after: delay)
        }
    }

    /// Records the container as waiting with `reason`; its restartCount and last terminated
    /// state stay as they were.
    private func wait(
        _ run: SyncRun, _ c: Container, prior: ContainerRecord?, reason: String, message: String,
        lastState: ContainerTermination?
    ) async throws {
        let rec = ContainerRecord(
            podUID: run.uid, name: c.name, hash: prior?.hash ?? "",
            hashAlgorithm: prior?.hashAlgorithm ?? ctx.settings.hashAlgorithm.rawValue,
            containerID: nil, image: prior?.image ?? (c.image ?? ""), imageID: prior?.imageID ?? "",
            restartCount: prior?.restartCount ?? 0,
            lifecycle: .waiting(reason: reason, message: message), lastTermination: lastState, startedAt: nil, updatedAt: Date())
        run.containers[c.name] = rec
        try await ctx.save(run, container: rec)
    }

    /// A create or start the runtime refused: kubelet's `CreateContainerError` / `RunContainerError`.
    struct StartFailure: Error {
        var reason: String
        var message: String
    }

    /// Creates and starts the container; adopts one this agent created with the same attempt
    /// before a crash instead of creating a second. Persists the container record before and
    /// after starting. Returns the record of the running container.
    /// - Throws: ``ImagePullFailure``, ``StartFailure``, ``StartAborted``, or a ``RuntimeError`` when the runtime is down.
    @discardableResult
    func start(
        _ run: SyncRun, _ c: Container, restartCount: Int, lastState: ContainerTermination?,
        sandboxID: String, sandboxConfig: PodSandboxConfig
    ) async throws -> ContainerRecord {
        let rt = ctx.runtime
        let algorithm = ctx.settings.hashAlgorithm
        let hash = ContainerHasher.hex(c, algorithm: algorithm)
        // A record that says this very container was being created means an earlier run may have
        // created it before it could store the ID: look for it rather than create a second.
        let prior = run.containers[c.name]
        let intentExisted =
            prior.map {
                $0.containerID == nil && $0.restartCount == restartCount && $0.hash == hash
                    && ($0.lifecycle == .creating || $0.lifecycle.waitingReason == "ContainerCreating")
            } ?? false
        var adopted: RuntimeContainer?
        if intentExisted {
            let selector = [KubeletLabels.podUID: run.uid, KubeletLabels.containerName: c.name]
            let existing = try await rt.listContainers(filter: ContainerFilter(labelSelector: selector))
            adopted = existing.first {
                $0.attempt == UInt32(restartCount) && $0.state != .exited && $0.sandboxID == sandboxID
                    && $0.annotations[KubeletLabels.containerHash] == hash
            }
        }
        let id: String
        if let adopted {
            id = adopted.id
        } else {
            _ = try await ImagePuller(ctx: ctx).ensure(run, c)
            let volumes = PodVolumes(podsDirectory: ctx.settings.podsDirectory)
            let mounts: [Mount]
            do {
                let (m, skipped) = try volumes.mounts(for: c, pod: run.pod, uid: run.uid)
                mounts = m
                for message in skipped {
                    run.event(PendingEvent(container: c.name, type: "Warning", reason: "UnsupportedVolume", message: message))
                }
            } catch let f as VolumeSetupFailure {
                run.event(PendingEvent(container: c.name, type: "Warning", reason: "FailedMount", message: f.message))
                throw StartFailure(reason: "ContainerCreating", message: f.message)
            }
            // The intent, written before CreateContainer (a step is written before it is taken).
            let intent = ContainerRecord(
                podUID: run.uid, name: c.name, hash: hash, hashAlgorithm: algorithm.rawValue, containerID: nil,
                image: c.image ?? "", imageID: prior?.imageID ?? "", restartCount: restartCount,
                lifecycle: .creating, lastTermination: lastState, startedAt: nil, updatedAt: Date())
            run.containers[c.name] = intent
            try await ctx.save(run, container: intent)
            try await ctx.hooks.checkpoint(run.key, c.name, .intentWritten)
            let cfg = RuntimeConfigs.container(
                for: c, pod: run.pod, uid: run.uid, imageRef: c.image ?? "", restartCount: restartCount,
                hash: hash, algorithm: algorithm, mounts: mounts)
            do {
                do {
                    id = try await rt.createContainer(sandboxID: sandboxID, config: cfg, sandboxConfig: sandboxConfig)
                } catch let e as RuntimeError where ReservedName.holder(in: e) != nil {
                    // The name is still held by a container of ours: one whose CreateContainer
                    // answer was lost (adopt it), or one left from an earlier sandbox (remove it).
                    if let mine = try await reclaim(
                        ReservedName.holder(in: e)!, run, c, sandboxID: sandboxID,
                        attempt: UInt32(clamping: restartCount), hash: hash)
                    {
                        id = mine
                    } else {
                        id = try await rt.createContainer(sandboxID: sandboxID, config: cfg, sandboxConfig: sandboxConfig)
                    }
                }
            } catch let e as RuntimeError {
                if case .unavailable = e { throw e }
                let msg = ImagePuller.detail(e)
                run.event(PendingEvent(container: c.name, type: "Warning", reason: EventReason.failed, message: "Error: \(msg)"))
                throw StartFailure(reason: "CreateContainerError", message: msg)
            }
            run.event(PendingEvent(container: c.name, reason: EventReason.created, message: "Created container: \(c.name)"))
        }
        // An in-place update's old container: its end, read beside the create, is this
        // container's lastState.
        var lastState = lastState
        if let ending = run.endings.removeValue(forKey: c.name) { lastState = try await ending.value }
        // Written before StartContainer, so a crash here finds the container by its record.
        let rec = ContainerRecord(
            podUID: run.uid, name: c.name, hash: hash, hashAlgorithm: algorithm.rawValue, containerID: id,
            image: c.image ?? "", imageID: "", restartCount: restartCount,
            lifecycle: .created, lastTermination: lastState, startedAt: nil, updatedAt: Date())
        run.containers[c.name] = rec
        let created = rec
        try await ctx.save(run, container: created)
        try await ctx.hooks.checkpoint(run.key, c.name, .createdWritten)
        // A container this very call created is known to be created: no ContainerStatus before
        // its StartContainer (kubelet makes none either); an adopted one is looked at first.
        return try await startCreated(run, c, rec, id: id, justCreated: adopted == nil)
    }

    /// Starts the created container `id` of record `rec` (unless the runtime already runs it)
    /// and records it running, or terminated when it already exited, with its imageID.
    /// - Throws: ``StartFailure`` (RunContainerError; the container is removed),
    ///   ``StartAborted`` (a start under way ended without running it; the record is the intent
    ///   again), a ``RuntimeError`` when the runtime is down; a store error.
    private func startCreated(
        _ run: SyncRun, _ c: Container, _ rec: ContainerRecord, id: String, justCreated: Bool = false
    ) async throws -> ContainerRecord {
        let rt = ctx.runtime
        var rec = rec
        let restartCount = rec.restartCount
        let state = justCreated ? RuntimeContainerState.created : try await rt.containerStatus(id: id).state
        if state == .created {
            do {
                do {
                    try await rt.startContainer(id: id)
                } catch let e as RuntimeError where Self.startMayBeUnderway(e) {
                    // The connection dropped under the call, or the runtime is still starting the
                    // container: its start goes on without us, so wait for its outcome.
                    let settled = try await settle(id)
                    if settled.state == .created { throw e }
                    if settled.state == .exited, settled.startedAt == 0, try await forgetNeverRan(run, c, rec, id: id) {
                        ctx.logger.info(
                            "a start still under way ended without running the container; starting it again with the same restartCount",
                            metadata: ["pod": "\(run.key)", "container": "\(c.name)", "id": "\(id)"])
                        throw StartAborted()
                    }
                }
            } catch let e as RuntimeError {
                if case .unavailable = e { throw e }
                let msg = ImagePuller.detail(e)
                run.event(PendingEvent(container: c.name, type: "Warning", reason: EventReason.failed, message: "Error: \(msg)"))
                try? await rt.removeContainer(id: id)
                throw StartFailure(reason: "RunContainerError", message: msg)
            }
            run.event(PendingEvent(container: c.name, reason: EventReason.started, message: "Started container \(c.name)"))
        }
        let now = try await rt.containerStatus(id: id)
        let startedAt = now.startedAt > 0 ? Date(timeIntervalSince1970: Double(now.startedAt) / 1e9) : Date()
        rec.imageID = now.imageRef
        rec.startedAt = startedAt
        rec.lifecycle =
            now.state == .exited
            ? .exited(SyncContext.termination(now, containerID: ctx.statusID(id), fallbackStartedAt: startedAt))
            : .running(startedAt: startedAt)
        rec.updatedAt = Date()
        run.containers[c.name] = rec
        ctx.note(run, container: rec)
        ctx.logger.info(
            "container started",
            metadata: [
                "pod": "\(run.key)", "container": "\(c.name)", "image": "\(c.image ?? "")", "restartCount": "\(restartCount)",
            ])
        return rec
    }

    /// The container holding this container's runtime name: returned when it is the very one
    /// this start wants (same pod, name, sandbox, attempt and hash, not exited) so it is adopted;
    /// otherwise, when it belongs to this pod, it is stopped and removed and nil is returned so
    /// the create is tried again. A holder of another pod is left alone (the retry then fails).
    private func reclaim(
        _ holder: String, _ run: SyncRun, _ c: Container, sandboxID: String,
        attempt: UInt32, hash: String
    ) async throws -> String? {
        let rt = ctx.runtime
        guard let found = (try await rt.listContainers(filter: ContainerFilter(id: holder))).first,
            found.labels[KubeletLabels.podUID] == run.uid, found.labels[KubeletLabels.containerName] == c.name
        else { return nil }
        if found.sandboxID == sandboxID, found.attempt == attempt, found.state != .exited,
            found.annotations[KubeletLabels.containerHash] == hash
        {
            ctx.logger.info(
                "adopting the container whose creation answer was lost",
                metadata: [
                    "pod": "\(run.key)", "container": "\(c.name)", "id": "\(holder)",
                ])
            return holder
        }
        ctx.logger.info(
            "removing a leftover container that holds the name",
            metadata: [
                "pod": "\(run.key)", "container": "\(c.name)", "id": "\(holder)", "sandbox": "\(found.sandboxID)",
            ])
        try? await rt.stopContainer(id: holder, timeoutSeconds: 0)
        try await rt.removeContainer(id: holder)
        return nil
    }
}

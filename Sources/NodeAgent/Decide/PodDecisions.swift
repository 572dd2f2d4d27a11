import ContainerRuntime
import Foundation
import PodAPI
import Prober
import StateStore

/// The agent's pure decisions, in the spirit of kubelet's computePodActions: from a
/// ``PodSyncInput`` to a value saying what to do. No runtime, no store, no clock of their own;
/// tested by tables (PodDecisionTests).
enum PodDecisions {
    /// The pod's actions for this observation.
    static func computePodActions(_ input: PodSyncInput) -> PodActions {
        var actions = PodActions(
            pod: .proceed, wakeAt: nil, sandbox: .keep, sidecarUpdates: [], initContainers: .done, containers: [],
            openGate: false, removeLeftovers: false)
        if input.record.terminalPhase != nil {
            actions.pod = .killTerminated
            return actions
        }
        if let seconds = input.pod.spec.activeDeadlineSeconds, let start = input.record.startTime {
            let deadline = start.addingTimeInterval(Double(seconds))
            if input.now >= deadline {
                actions.pod = .failDeadline
                return actions
            }
            actions.wakeAt = deadline
        }
        actions.sandbox = sandboxAction(input)
        guard actions.sandbox == .keep else { return actions }
        actions.sidecarUpdates = (input.pod.spec.initContainers ?? []).filter {
            $0.isSidecar && input.updates[$0.name] != nil && input.containers[$0.name]?.containerID != nil
        }.map(\.name)
        actions.initContainers = initContainersAction(input)
        guard actions.initContainers == .done else { return actions }
        actions.containers = input.pod.spec.containers.map {
            PodActions.NamedAction(container: $0.name, action: containerAction($0, input))
        }
        actions.openGate = shouldOpenGate(
            hasGate: input.pod.agentOwnsInPlaceGate(source: input.record.source), activeUpdates: input.updates.count,
            pendingChange: pendingInPlaceChange(input.pod, containers: input.containers, algorithm: input.hashAlgorithm),
            conditions: input.conditions)
        actions.removeLeftovers = input.needsReconcile
        return actions
    }

    /// Keep the sandbox when it is ready and made for this spec; otherwise make a new one, one
    /// attempt above the last (kubelet's metadata.attempt, so names never collide).
    static func sandboxAction(_ input: PodSyncInput) -> PodActions.Sandbox {
        let wantHash = input.podSpecHash
        guard let recorded = input.sandbox else {
            if input.needsReconcile { return .adoptElseCreate }
            return .create(attempt: 0, replacing: nil, specChanged: false, blockedUntil: input.sandboxBlockedUntil)
        }
        var specChanged = false
        switch input.observed.sandbox {
        case .ready(let hash):
            if hash == wantHash { return .keep }
            specChanged = true
        case .notReady, .gone, .unrecorded:
            break
        }
        return .create(
            attempt: recorded.attempt + 1, replacing: recorded, specChanged: specChanged,
            blockedUntil: input.sandboxBlockedUntil)
    }

    /// The init containers in order: each must exit 0 before the next starts; a sidecar
    /// (`restartPolicy: Always`) counts as done once it runs; a failed one restarts per the pod's
    /// restartPolicy, and under `Never` the pod waits (and so fails).
    static func initContainersAction(_ input: PodSyncInput) -> PodActions.InitContainers {
        let policy = input.pod.spec.effectiveRestartPolicy
        for ic in input.pod.spec.initContainers ?? [] {
            let sidecar = ic.isSidecar
            let rec = input.containers[ic.name]
            let termination = rec?.lifecycle.termination
            if !sidecar, termination?.exitCode == 0 { continue }
            // A sidecar's image change is upgraded in place like a regular container's; while it
            // has a container, the init containers after it go on.
            if sidecar, input.updates[ic.name] != nil {
                if rec?.containerID != nil { continue }
                return .act(container: ic.name, .advanceInPlaceUpdate, recheck: true)
            }
            if let rec, let id = rec.containerID {
                let observed = input.observed.container(id) ?? nil
                if let o = observed, o.state == .running || o.state == .created {
                    let startFirst = o.state == .created
                    if sidecar, hashChanged(ic, rec, algorithm: input.hashAlgorithm) {
                        return .act(container: ic.name, .beginInPlaceUpdate(startFirst: startFirst), recheck: true)
                    }
                    if startFirst {
                        return .act(container: ic.name, .keepRunning(startFirst: true), recheck: sidecar)
                    }
                    if sidecar { continue }
                    return .blocked
                }
                let exitCode = observed?.exitCode ?? ContainerTermination.unknownExitCode
                if !sidecar && exitCode == 0 {
                    return .act(container: ic.name, .recordDeath(restart: false), recheck: true)
                }
                let restart = sidecar || policy != .never
                return .act(container: ic.name, .recordDeath(restart: restart), recheck: false)
            }
            if rec != nil, termination != nil, policy == .never, !sidecar { return .blocked }
            return .act(container: ic.name, .start, recheck: sidecar)
        }
        return .done
    }

    /// One regular container: keep it, start it, restart it per policy, kill it for a failed
    /// probe, or upgrade it in place.
    static func containerAction(_ c: Container, _ input: PodSyncInput) -> ContainerAction {
        let rec = input.containers[c.name]
        let policy = input.pod.spec.effectiveRestartPolicy
        if let upd = input.updates[c.name] {
            // Before the update stops it, the old container may end on its own: then nothing is
            // left to update, and it restarts as any container that ended.
            if upd.step.isBeforeStop, let id = rec?.containerID, id == upd.oldContainerID, let seen = input.observed.container(id),
                seen.map({ $0.state != .running && $0.state != .created }) ?? true
            {
                return .endUpdateAfterDeath(restart: policy.restarts(exitCode: seen?.exitCode ?? ContainerTermination.unknownExitCode))
            }
            return .advanceInPlaceUpdate
        }
        if rec == nil, input.needsReconcile { return .adopt }
        guard let rec, let id = rec.containerID else {
            // Never created, or its last container is gone: start the next one, unless the
            // restartPolicy keeps the last one dead.
            if let rec, !shouldRestart(rec, policy: policy) { return .none }
            return .start
        }
        if rec.lifecycle == .created { return .resumeStart }
        let observed = input.observed.container(id) ?? nil
        if let o = observed, o.state == .running || o.state == .created {
            let startFirst = o.state == .created
            if hashChanged(c, rec, algorithm: input.hashAlgorithm) { return .beginInPlaceUpdate(startFirst: startFirst) }
            if o.state == .running, let kind = input.failedProbes[c.name] {
                return .killForProbe(kind, restart: policy != .never)
            }
            return .keepRunning(startFirst: startFirst)
        }
        // Exited, or removed behind the agent's back (kubelet then reports exit 137).
        let exitCode = observed?.exitCode ?? ContainerTermination.unknownExitCode
        return .recordDeath(restart: policy.restarts(exitCode: exitCode))
    }

    /// Whether the next container of a recorded one starts: always unless the record ended and
    /// the restartPolicy says no (kubelet's ShouldContainerBeRestarted).
    static func shouldRestart(_ rec: ContainerRecord, policy: RestartPolicy) -> Bool {
        guard let t = rec.lifecycle.termination else { return true }
        return policy.restarts(exitCode: t.exitCode)
    }

    /// Whether the container's spec hash differs from the one it runs with. A stored hash made by
    /// the other algorithm is compared by that algorithm (B1); an unreadable one falls back to
    /// comparing the image (B3).
    static func hashChanged(_ c: Container, _ rec: ContainerRecord, algorithm fallback: HashAlgorithm) -> Bool {
        let algorithm = HashAlgorithm(rawValue: rec.hashAlgorithm) ?? fallback
        if let same = ContainerHasher.matches(c, storedHex: rec.hash, algorithm: algorithm) { return !same }
        return (c.image ?? "") != rec.image
    }

    /// The `InPlaceUpdateReady` gate opens when the pod declares it, no update runs, no running
    /// container waits for one (`pendingChange`: an update just superseded, whose successor begins
    /// at the next sync), and it is not True yet (also on a new pod, as OpenKruise sets it at
    /// creation).
    static func shouldOpenGate(hasGate: Bool, activeUpdates: Int, pendingChange: Bool = false, conditions: [ConditionRecord]) -> Bool {
        guard hasGate, activeUpdates == 0, !pendingChange else { return false }
        return conditions.first { $0.type == WellKnown.inPlaceUpdateReady }?.status != "True"
    }

    /// Whether a running container (or sidecar) runs a spec whose hash the desired one no longer
    /// matches: an in-place update is due.
    static func pendingInPlaceChange(_ pod: Pod, containers: [String: ContainerRecord], algorithm: HashAlgorithm) -> Bool {
        let candidates = pod.spec.containers + (pod.spec.initContainers ?? []).filter(\.isSidecar)
        return candidates.contains { c in
            guard let rec = containers[c.name], rec.containerID != nil, rec.lifecycle.isRunning else { return false }
            return hashChanged(c, rec, algorithm: algorithm)
        }
    }

    /// The images the sync's look asks the runtime about beside the pod's sandbox and
    /// containers: the new image of each running container (or sidecar) whose in-place update
    /// begins now (its spec hash changed and its image with it) or waits at PrePulling, unless its
    /// pull policy is Always (the pre-pull then pulls without asking) or its pull waits for its
    /// back-off at `now`. The answer spares the
    /// pre-pull's own ImageStatus (kubelet's EnsureImageExists asks the same question, later, one
    /// call after the other): the look's calls are made side by side, so this one costs no time.
    /// Sorted, without duplicates; an image that does not parse is left to the puller's error.
    static func imagesToLookAt(
        _ pod: Pod, containers: [String: ContainerRecord], updates: [String: InPlaceUpdateRecord], algorithm: HashAlgorithm, now: Date
    ) -> [String] {
        guard !containers.isEmpty else { return [] }  // a pod not started yet: nothing runs
        let candidates = pod.spec.containers + (pod.spec.initContainers ?? []).filter(\.isSidecar)
        var images = Set<String>()
        for c in candidates {
            guard let rec = containers[c.name], rec.containerID != nil, rec.lifecycle.isRunning, let image = c.image, !image.isEmpty
            else { continue }
            if let upd = updates[c.name] {
                // A pull waiting for its back-off asks nothing in this sync.
                let waiting = upd.nextAttemptAt.map { $0 > now } ?? false
                guard upd.step == .detected || upd.step == .prePulling, upd.toImage == image, !waiting else { continue }
            } else {
                guard image != rec.image, hashChanged(c, rec, algorithm: algorithm) else { continue }
            }
            guard let reference = try? ImageReference.parse(image), (c.imagePullPolicy ?? reference.defaultPullPolicy) != "Always"
            else { continue }
            images.insert(image)
        }
        return images.sorted()
    }

    /// What the next container of this name starts from: its restartCount, the termination to
    /// show as `lastState`, and whether it follows a death (so the restart back-off applies). A
    /// container that ran before counts one more restart; the intent of this very start
    /// (``ContainerLifecycle/creating``) already counts it, so an agent stopped there does not
    /// count it twice.
    static func nextStart(after prior: ContainerRecord?) -> (restartCount: Int, lastTermination: ContainerTermination?, dead: Bool) {
        guard let prior else { return (0, nil, false) }
        if prior.lifecycle == .creating {
            return (prior.restartCount, prior.lastTermination, prior.lastTermination != nil)
        }
        if let t = prior.lifecycle.termination { return (prior.restartCount + 1, t, true) }
        if let last = prior.lastTermination { return (prior.restartCount + 1, last, true) }
        return (prior.restartCount, nil, false)
    }
}

import ContainerRuntime
import Foundation
import PodAPI
import Prober
import StateStore
import Testing

@testable import NodeAgent

/// ``PodDecisions/computePodActions(_:)`` case by case, without a runtime, a store or a socket:
/// each row is a pod's desired spec, its stored records and what the runtime was seen to hold.
struct PodDecisionTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let uid = "u-1"

    static func pod(
        _ images: [String: String] = ["app": "nginx:1.25"], restartPolicy: String? = nil,
        initContainers: [Container]? = nil, gate: Bool = false, deadline: Int64? = nil
    ) -> Pod {
        var spec = PodSpec(containers: images.keys.sorted().map { Container(name: $0, image: images[$0]) })
        spec.restartPolicy = restartPolicy
        spec.initContainers = initContainers
        spec.activeDeadlineSeconds = deadline
        if gate { spec.readinessGates = [PodReadinessGate(conditionType: WellKnown.inPlaceUpdateReady)] }
        return Pod(metadata: ObjectMeta(name: "web", namespace: "default", uid: uid), spec: spec)
    }

    static func record(
        _ c: Container, id: String?, lifecycle: ContainerLifecycle, restarts: Int = 0,
        algorithm: HashAlgorithm = .nameImage
    ) -> ContainerRecord {
        ContainerRecord(
            podUID: uid, name: c.name, hash: ContainerHasher.hex(c, algorithm: algorithm), hashAlgorithm: algorithm.rawValue,
            containerID: id, image: c.image ?? "", imageID: "sha256:1", restartCount: restarts, lifecycle: lifecycle)
    }

    static func status(_ id: String, _ state: RuntimeContainerState, exitCode: Int32 = 0) -> RuntimeContainerStatus {
        RuntimeContainerStatus(
            id: id, name: "app", attempt: 0, state: state, createdAt: 1, startedAt: state == .created ? 0 : 2,
            finishedAt: state == .exited ? 3 : 0, exitCode: exitCode, image: "nginx", imageRef: "sha256:1")
    }

    static func input(
        _ pod: Pod, containers: [ContainerRecord] = [], observed: [String: RuntimeContainerStatus?] = [:],
        sandbox: RuntimeObservation.SandboxState? = nil, updates: [InPlaceUpdateRecord] = [],
        needsReconcile: Bool = false, failedProbes: [String: ProbeKind] = [:],
        conditions: [ConditionRecord] = [], record: PodRecord? = nil
    ) -> PodSyncInput {
        let sandboxState = sandbox ?? .ready(specHash: RuntimeConfigs.podSpecHash(pod.spec))
        let sandboxRecord = sandboxState == .unrecorded ? nil : SandboxRecord(id: "sb-1", podUID: uid, attempt: 2, ip: "10.0.0.2")
        return PodSyncInput(
            uid: uid, pod: pod, podSpecHash: RuntimeConfigs.podSpecHash(pod.spec),
            record: record ?? PodRecord(uid: uid, namespace: "default", name: "web", startTime: now),
            containers: Dictionary(uniqueKeysWithValues: containers.map { ($0.name, $0) }),
            updates: Dictionary(uniqueKeysWithValues: updates.map { ($0.containerName, $0) }),
            sandbox: sandboxRecord, conditions: conditions,
            observed: RuntimeObservation(sandbox: sandboxState, containers: observed),
            needsReconcile: needsReconcile, hashAlgorithm: .nameImage, failedProbes: failedProbes, now: now)
    }

    static func action(_ input: PodSyncInput, _ name: String = "app") -> ContainerAction? {
        PodDecisions.computePodActions(input).containers.first { $0.container == name }?.action
    }

    // MARK: The pod and its sandbox

    @Test func newPodCreatesItsSandboxFirst() {
        let a = PodDecisions.computePodActions(Self.input(Self.pod(), sandbox: .unrecorded))
        #expect(a.pod == .proceed)
        #expect(a.sandbox == .create(attempt: 0, replacing: nil, specChanged: false, blockedUntil: nil))
        #expect(a.containers.isEmpty)
    }

    @Test func podTheStoreLostLooksForItsSandboxInTheRuntime() {
        let a = PodDecisions.computePodActions(Self.input(Self.pod(), sandbox: .unrecorded, needsReconcile: true))
        #expect(a.sandbox == .adoptElseCreate)
    }

    @Test(arguments: [
        (RuntimeObservation.SandboxState.gone, false), (.notReady, false), (.ready(specHash: "other"), true),
    ])
    func sandboxNotUsableIsReplacedOneAttemptHigher(_ state: RuntimeObservation.SandboxState, _ specChanged: Bool) {
        let a = PodDecisions.computePodActions(Self.input(Self.pod(), sandbox: state))
        guard case .create(let attempt, let replacing, let changed, _) = a.sandbox else {
            Issue.record("expected a new sandbox, got \(a.sandbox)")
            return
        }
        #expect(attempt == 3)
        #expect(replacing?.id == "sb-1")
        #expect(changed == specChanged)
    }

    @Test func refusedSandboxBacksOff() {
        var input = Self.input(Self.pod(), sandbox: .unrecorded)
        input.sandboxBlockedUntil = Self.now.addingTimeInterval(10)
        #expect(
            PodDecisions.computePodActions(input).sandbox
                == .create(attempt: 0, replacing: nil, specChanged: false, blockedUntil: Self.now.addingTimeInterval(10)))
    }

    @Test func terminalPodIsOnlyKilled() {
        var rec = PodRecord(uid: Self.uid, namespace: "default", name: "web")
        rec.terminalPhase = "Failed"
        let a = PodDecisions.computePodActions(Self.input(Self.pod(), record: rec))
        #expect(a.pod == .killTerminated)
        #expect(a.containers.isEmpty)
    }

    @Test func deadlinePassedFailsThePod() {
        let rec = PodRecord(uid: Self.uid, namespace: "default", name: "web", startTime: Self.now.addingTimeInterval(-31))
        #expect(PodDecisions.computePodActions(Self.input(Self.pod(deadline: 30), record: rec)).pod == .failDeadline)
    }

    @Test func deadlineAheadIsAWakeUp() {
        let rec = PodRecord(uid: Self.uid, namespace: "default", name: "web", startTime: Self.now.addingTimeInterval(-10))
        let a = PodDecisions.computePodActions(Self.input(Self.pod(deadline: 30), record: rec))
        #expect(a.pod == .proceed)
        #expect(a.wakeAt == Self.now.addingTimeInterval(20))
    }

    // MARK: Regular containers

    @Test func newContainerStarts() {
        #expect(Self.action(Self.input(Self.pod())) == .start)
    }

    @Test func runningContainerIsKept() {
        let c = Container(name: "app", image: "nginx:1.25")
        let input = Self.input(
            Self.pod(), containers: [Self.record(c, id: "c1", lifecycle: .running(startedAt: Self.now))],
            observed: ["c1": Self.status("c1", .running)])
        #expect(Self.action(input) == .keepRunning(startFirst: false))
    }

    @Test func createdContainerIsStartedFirst() {
        let c = Container(name: "app", image: "nginx:1.25")
        let input = Self.input(
            Self.pod(), containers: [Self.record(c, id: "c1", lifecycle: .running(startedAt: nil))],
            observed: ["c1": Self.status("c1", .created)])
        #expect(Self.action(input) == .keepRunning(startFirst: true))
    }

    @Test func imageChangeBeginsAnInPlaceUpdate() {
        let old = Container(name: "app", image: "nginx:1.25")
        let input = Self.input(
            Self.pod(["app": "nginx:1.26"]), containers: [Self.record(old, id: "c1", lifecycle: .running(startedAt: Self.now))],
            observed: ["c1": Self.status("c1", .running)])
        #expect(Self.action(input) == .beginInPlaceUpdate(startFirst: false))
    }

    @Test func hashOfTheOtherAlgorithmIsNotAChange() {
        // B1: a container stamped by the older full-spec algorithm is compared by that algorithm.
        let c = Container(name: "app", image: "nginx:1.25")
        let input = Self.input(
            Self.pod(), containers: [Self.record(c, id: "c1", lifecycle: .running(startedAt: Self.now), algorithm: .fullContainer)],
            observed: ["c1": Self.status("c1", .running)])
        #expect(Self.action(input) == .keepRunning(startFirst: false))
    }

    @Test func unreadableHashFallsBackToTheImage() {
        // B3: a hash that cannot be parsed is not taken as a change when the image is the same.
        let c = Container(name: "app", image: "nginx:1.25")
        var rec = Self.record(c, id: "c1", lifecycle: .running(startedAt: Self.now))
        rec.hash = "not-hex"
        let same = Self.input(Self.pod(), containers: [rec], observed: ["c1": Self.status("c1", .running)])
        #expect(Self.action(same) == .keepRunning(startFirst: false))
        let changed = Self.input(Self.pod(["app": "nginx:1.26"]), containers: [rec], observed: ["c1": Self.status("c1", .running)])
        #expect(Self.action(changed) == .beginInPlaceUpdate(startFirst: false))
    }

    @Test func updateUnderWayAdvances() {
        let c = Container(name: "app", image: "nginx:1.25")
        let upd = InPlaceUpdateRecord(
            podUID: Self.uid, containerName: "app", fromImage: "nginx:1.25", toImage: "nginx:1.26",
            toHash: "x", hashAlgorithm: HashAlgorithm.nameImage.rawValue, step: .grace)
        let input = Self.input(Self.pod(["app": "nginx:1.26"]), containers: [Self.record(c, id: nil, lifecycle: .creating)], updates: [upd])
        #expect(Self.action(input) == .advanceInPlaceUpdate)
    }

    @Test(arguments: [
        // restartPolicy, exit code, restarted?
        ("Always", Int32(0), true), ("Always", 1, true),
        ("OnFailure", 0, false), ("OnFailure", 2, true),
        ("Never", 0, false), ("Never", 1, false),
    ])
    func crashRestartsPerPolicy(_ policy: String, _ exitCode: Int32, _ restarted: Bool) {
        let c = Container(name: "app", image: "nginx:1.25")
        let input = Self.input(
            Self.pod(restartPolicy: policy), containers: [Self.record(c, id: "c1", lifecycle: .running(startedAt: Self.now))],
            observed: ["c1": Self.status("c1", .exited, exitCode: exitCode)])
        #expect(Self.action(input) == .recordDeath(restart: restarted))
    }

    @Test(arguments: ["Always", "OnFailure", "Never"])
    func containerRemovedBehindTheAgentsBackCountsAsExit137(_ policy: String) {
        let c = Container(name: "app", image: "nginx:1.25")
        let input = Self.input(
            Self.pod(restartPolicy: policy), containers: [Self.record(c, id: "c1", lifecycle: .running(startedAt: Self.now))],
            observed: ["c1": RuntimeContainerStatus?.none])
        #expect(Self.action(input) == .recordDeath(restart: policy != "Never"))
    }

    @Test(arguments: [("Always", Int32(0), true), ("OnFailure", 0, false), ("OnFailure", 1, true), ("Never", 1, false)])
    func recordedDeathIsRestartedOnlyPerPolicy(_ policy: String, _ exitCode: Int32, _ restarted: Bool) {
        let c = Container(name: "app", image: "nginx:1.25")
        let rec = Self.record(c, id: nil, lifecycle: .exited(ContainerTermination(exitCode: exitCode)))
        let input = Self.input(Self.pod(restartPolicy: policy), containers: [rec])
        #expect(Self.action(input) == (restarted ? .start : ContainerAction.none))
    }

    @Test(arguments: [("Always", true), ("Never", false)])
    func failedLivenessProbeKills(_ policy: String, _ restart: Bool) {
        let c = Container(name: "app", image: "nginx:1.25")
        let input = Self.input(
            Self.pod(restartPolicy: policy), containers: [Self.record(c, id: "c1", lifecycle: .running(startedAt: Self.now))],
            observed: ["c1": Self.status("c1", .running)], failedProbes: ["app": .liveness])
        #expect(Self.action(input) == .killForProbe(.liveness, restart: restart))
    }

    @Test func failedProbeOfACreatedContainerDoesNotKill() {
        let c = Container(name: "app", image: "nginx:1.25")
        let input = Self.input(
            Self.pod(), containers: [Self.record(c, id: "c1", lifecycle: .running(startedAt: nil))],
            observed: ["c1": Self.status("c1", .created)], failedProbes: ["app": .liveness])
        #expect(Self.action(input) == .keepRunning(startFirst: true))
    }

    @Test func unconfirmedStartIsResumed() {
        let c = Container(name: "app", image: "nginx:1.25")
        let input = Self.input(Self.pod(), containers: [Self.record(c, id: "c1", lifecycle: .created, restarts: 3)])
        #expect(Self.action(input) == .resumeStart)
    }

    @Test func lostStoreAdoptsByLabels() {
        #expect(Self.action(Self.input(Self.pod(), needsReconcile: true)) == .adopt)
        let a = PodDecisions.computePodActions(Self.input(Self.pod(), needsReconcile: true))
        #expect(a.removeLeftovers)
    }

    @Test(arguments: [UpdateStep.prePulling, .gateClosed, .grace])
    func oldContainerEndingBeforeTheStopEndsTheUpdate(_ step: UpdateStep) {
        let old = Container(name: "app", image: "nginx:1.25")
        let upd = InPlaceUpdateRecord(
            podUID: Self.uid, containerName: "app", fromImage: "nginx:1.25", toImage: "nginx:1.26",
            toHash: "x", hashAlgorithm: HashAlgorithm.nameImage.rawValue, oldContainerID: "c1", step: step)
        let rec = Self.record(old, id: "c1", lifecycle: .running(startedAt: Self.now))
        let exited = Self.input(
            Self.pod(["app": "nginx:1.26"], restartPolicy: "OnFailure"), containers: [rec],
            observed: ["c1": Self.status("c1", .exited, exitCode: 2)], updates: [upd])
        #expect(Self.action(exited) == .endUpdateAfterDeath(restart: true))
        let completed = Self.input(
            Self.pod(["app": "nginx:1.26"], restartPolicy: "OnFailure"), containers: [rec],
            observed: ["c1": Self.status("c1", .exited, exitCode: 0)], updates: [upd])
        #expect(Self.action(completed) == .endUpdateAfterDeath(restart: false))
        let running = Self.input(
            Self.pod(["app": "nginx:1.26"]), containers: [rec], observed: ["c1": Self.status("c1", .running)], updates: [upd])
        #expect(Self.action(running) == .advanceInPlaceUpdate)
        // Not looked at (its observation is missing): the update goes on.
        #expect(Self.action(Self.input(Self.pod(["app": "nginx:1.26"]), containers: [rec], updates: [upd])) == .advanceInPlaceUpdate)
    }

    @Test func oldContainerGoneAfterTheStopIsTheUpdatesOwnBusiness() {
        let old = Container(name: "app", image: "nginx:1.25")
        let upd = InPlaceUpdateRecord(
            podUID: Self.uid, containerName: "app", fromImage: "nginx:1.25", toImage: "nginx:1.26",
            toHash: "x", hashAlgorithm: HashAlgorithm.nameImage.rawValue, oldContainerID: "c1", step: .stopped)
        let rec = Self.record(old, id: "c1", lifecycle: .running(startedAt: Self.now))
        let input = Self.input(
            Self.pod(["app": "nginx:1.26"]), containers: [rec], observed: ["c1": RuntimeContainerStatus?.none], updates: [upd])
        #expect(Self.action(input) == .advanceInPlaceUpdate)
    }

    // MARK: Init containers

    @Test func initContainersRunInOrderBeforeTheRegularOnes() {
        let inits = [Container(name: "one", image: "busybox"), Container(name: "two", image: "busybox")]
        let pod = Self.pod(initContainers: inits)
        let first = PodDecisions.computePodActions(Self.input(pod))
        #expect(first.initContainers == .act(container: "one", .start, recheck: false))
        #expect(first.containers.isEmpty)
        let oneDone = Self.record(inits[0], id: nil, lifecycle: .exited(ContainerTermination(exitCode: 0)))
        #expect(
            PodDecisions.computePodActions(Self.input(pod, containers: [oneDone])).initContainers
                == .act(container: "two", .start, recheck: false))
        let twoRunning = Self.record(inits[1], id: "i2", lifecycle: .running(startedAt: Self.now))
        #expect(
            PodDecisions.computePodActions(
                Self.input(pod, containers: [oneDone, twoRunning], observed: ["i2": Self.status("i2", .running)])
            )
            .initContainers == .blocked)
        let twoExited = PodDecisions.computePodActions(
            Self.input(pod, containers: [oneDone, twoRunning], observed: ["i2": Self.status("i2", .exited)]))
        #expect(twoExited.initContainers == .act(container: "two", .recordDeath(restart: false), recheck: true))
    }

    @Test func failedInitContainerUnderNeverBlocksThePod() {
        let ic = Container(name: "one", image: "busybox")
        let pod = Self.pod(restartPolicy: "Never", initContainers: [ic])
        let failed = Self.record(ic, id: nil, lifecycle: .exited(ContainerTermination(exitCode: 1)))
        #expect(PodDecisions.computePodActions(Self.input(pod, containers: [failed])).initContainers == .blocked)
        let failing = Self.record(ic, id: "i1", lifecycle: .running(startedAt: Self.now))
        #expect(
            PodDecisions.computePodActions(
                Self.input(pod, containers: [failing], observed: ["i1": Self.status("i1", .exited, exitCode: 1)])
            )
            .initContainers == .act(container: "one", .recordDeath(restart: false), recheck: false))
    }

    @Test func runningSidecarLetsTheNextInitContainerGo() {
        var sidecar = Container(name: "proxy", image: "envoy")
        sidecar.other["restartPolicy"] = .string("Always")
        let pod = Self.pod(initContainers: [sidecar, Container(name: "migrate", image: "busybox")])
        let running = Self.record(sidecar, id: "s1", lifecycle: .running(startedAt: Self.now))
        let a = PodDecisions.computePodActions(Self.input(pod, containers: [running], observed: ["s1": Self.status("s1", .running)]))
        #expect(a.initContainers == .act(container: "migrate", .start, recheck: false))
        #expect(PodDecisions.computePodActions(Self.input(pod)).initContainers == .act(container: "proxy", .start, recheck: true))
    }

    // MARK: The gate

    @Test func gateOpensOnlyWhenNoUpdateRuns() {
        #expect(PodDecisions.shouldOpenGate(hasGate: true, activeUpdates: 0, conditions: []))
        #expect(!PodDecisions.shouldOpenGate(hasGate: true, activeUpdates: 1, conditions: []))
        #expect(!PodDecisions.shouldOpenGate(hasGate: false, activeUpdates: 0, conditions: []))
        let open = ConditionRecord(podUID: Self.uid, type: WellKnown.inPlaceUpdateReady, status: "True", lastTransitionTime: Self.now)
        #expect(!PodDecisions.shouldOpenGate(hasGate: true, activeUpdates: 0, conditions: [open]))
        // An update just superseded: its successor begins at the next sync, the gate stays shut.
        #expect(!PodDecisions.shouldOpenGate(hasGate: true, activeUpdates: 0, pendingChange: true, conditions: []))
    }

    @Test func runningContainerOfAnOldSpecIsAPendingChange() {
        let c = Container(name: "app", image: "nginx:1.25")
        let running = Self.record(c, id: "c1", lifecycle: .running(startedAt: Self.now))
        #expect(PodDecisions.pendingInPlaceChange(Self.pod(["app": "nginx:1.26"]), containers: ["app": running], algorithm: .nameImage))
        #expect(!PodDecisions.pendingInPlaceChange(Self.pod(["app": "nginx:1.25"]), containers: ["app": running], algorithm: .nameImage))
        let dead = Self.record(c, id: nil, lifecycle: .exited(ContainerTermination(exitCode: 1)))
        #expect(!PodDecisions.pendingInPlaceChange(Self.pod(["app": "nginx:1.26"]), containers: ["app": dead], algorithm: .nameImage))
    }

    /// The look asks about the new image of an update that begins or waits at its pre-pull, and
    /// about nothing else.
    @Test(
        arguments: [
            // (desired image, pull policy, recorded container, open update step, pull back-off ahead, looked at)
            ("nginx:1.26", nil, "running", nil, false, true),  // the image changed: an update begins
            ("nginx:1.25", nil, "running", nil, false, false),  // nothing changed
            ("nginx:1.26", "Always", "running", nil, false, false),  // Always pulls without asking
            ("nginx:latest", nil, "running", nil, false, false),  // latest defaults to Always
            ("nginx", nil, "running", nil, false, false),  // untagged: latest
            ("nginx:1.26", "IfNotPresent", "exited", nil, false, false),  // not running: a plain start asks itself
            ("nginx:1.26", nil, "none", nil, false, false),  // never started
            ("nginx:1.26", nil, "running", "PrePulling", false, true),  // the pull is retried now
            ("nginx:1.26", nil, "running", "PrePulling", true, false),  // the pull waits for its back-off
            ("nginx:1.26", nil, "running", "GateClosed", false, false),  // pulled already
            ("nginx:1.26", nil, "running", "Stopped", false, false),
            ("Not An Image!", nil, "running", nil, false, false),  // the puller reports the bad name
        ] as [(String, String?, String, String?, Bool, Bool)])
    func imagesToLookAt(_ image: String, _ policy: String?, _ recorded: String, _ step: String?, _ backOff: Bool, _ looked: Bool) {
        var pod = Self.pod(["app": image, "sidecar": "busybox:1.36"])
        pod.spec.containers[0].imagePullPolicy = policy
        let old = Container(name: "app", image: "nginx:1.25")
        var containers: [String: ContainerRecord] = [
            "sidecar": Self.record(pod.spec.containers[1], id: "s1", lifecycle: .running(startedAt: Self.now))
        ]
        switch recorded {
        case "running": containers["app"] = Self.record(old, id: "c1", lifecycle: .running(startedAt: Self.now))
        case "exited": containers["app"] = Self.record(old, id: "c1", lifecycle: .exited(ContainerTermination(exitCode: 1)))
        default: break
        }
        var updates: [String: InPlaceUpdateRecord] = [:]
        if let step = step.flatMap(UpdateStep.init(rawValue:)) {
            updates["app"] = InPlaceUpdateRecord(
                podUID: Self.uid, containerName: "app", fromImage: "nginx:1.25", toImage: image,
                toHash: ContainerHasher.hex(pod.spec.containers[0], algorithm: .nameImage), hashAlgorithm: HashAlgorithm.nameImage.rawValue,
                step: step, nextAttemptAt: backOff ? Self.now.addingTimeInterval(5) : Self.now.addingTimeInterval(-1))
        }
        let images = PodDecisions.imagesToLookAt(pod, containers: containers, updates: updates, algorithm: .nameImage, now: Self.now)
        #expect(images == (looked ? [image] : []))
    }

    // MARK: restartCount

    @Test func nextStartCountsARestartOnceOnly() {
        let c = Container(name: "app", image: "nginx:1.25")
        let died = ContainerTermination(exitCode: 1, reason: "Error")
        #expect(PodDecisions.nextStart(after: nil) == (0, nil, false))
        var exited = Self.record(c, id: nil, lifecycle: .exited(died), restarts: 2)
        #expect(PodDecisions.nextStart(after: exited) == (3, died, true))
        // The intent of the restart already counts it (an agent stopped before CreateContainer).
        exited.lifecycle = .creating
        exited.restartCount = 3
        exited.lastTermination = died
        #expect(PodDecisions.nextStart(after: exited) == (3, died, true))
        // Waiting in CrashLoopBackOff: the last termination is kept as lastState.
        exited.lifecycle = .waiting(reason: "CrashLoopBackOff", message: "back-off 10s")
        exited.restartCount = 2
        #expect(PodDecisions.nextStart(after: exited) == (3, died, true))
    }
}

/// ``InPlaceStepAction/next(_:superseded:hasGate:desiredImage:now:)`` at each of the eight steps.
struct InPlaceStepDecisionTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func update(_ step: UpdateStep, grace: Date? = nil, nextAttempt: Date? = nil) -> InPlaceUpdateRecord {
        InPlaceUpdateRecord(
            podUID: "u", containerName: "app", fromImage: "nginx:1.25", toImage: "nginx:1.26", toHash: "h",
            hashAlgorithm: HashAlgorithm.nameImage.rawValue, step: step, graceDeadline: grace, nextAttemptAt: nextAttempt)
    }

    static func next(_ u: InPlaceUpdateRecord, superseded: Bool = false, gate: Bool = true) -> InPlaceStepAction {
        InPlaceStepAction.next(u, superseded: superseded, hasGate: gate, desiredImage: "nginx:1.27", now: now)
    }

    @Test func eachStepLeadsToTheNext() {
        #expect(Self.next(Self.update(.detected)) == .moveTo(.prePulling))
        #expect(Self.next(Self.update(.prePulling)) == .pull(thenCloseGate: true))
        #expect(Self.next(Self.update(.prePulling), gate: false) == .pull(thenCloseGate: false))
        #expect(Self.next(Self.update(.gateClosed)) == .enterGrace)
        #expect(Self.next(Self.update(.grace, grace: Self.now.addingTimeInterval(-1))) == .moveTo(.stopped))
        #expect(Self.next(Self.update(.stopped)) == .stopOld)
        #expect(Self.next(Self.update(.started)) == .startNew)
        #expect(Self.next(Self.update(.verified)) == .verify)
        #expect(Self.next(Self.update(.completed)) == .forget)
        #expect(Self.next(Self.update(.failed)) == .forget)
    }

    @Test func waitsForTheGraceAndThePullBackOff() {
        let later = Self.now.addingTimeInterval(5)
        #expect(Self.next(Self.update(.grace, grace: later)) == .wait(until: later))
        #expect(Self.next(Self.update(.prePulling, nextAttempt: later)) == .wait(until: later))
    }

    @Test(arguments: UpdateStep.allCases)
    func supersededBeforeTheStopIsAbandoned(_ step: UpdateStep) {
        let action = Self.next(Self.update(step, grace: Self.now.addingTimeInterval(5)), superseded: true)
        switch step {
        case .detected, .prePulling, .gateClosed, .grace:
            #expect(action == .fail("superseded: the spec now asks for image \"nginx:1.27\""))
        default:
            #expect(action == Self.next(Self.update(step, grace: Self.now.addingTimeInterval(5))))
        }
    }
}

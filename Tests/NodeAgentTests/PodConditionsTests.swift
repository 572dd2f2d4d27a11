import Foundation
import PodAPI
import Testing

@testable import NodeAgent

/// kubelet's condition rules, each reason and message (docs/facts.md, "Conditions"; docs/bug-cases.md B9, B10).
struct PodConditionsTests {
    func running(_ name: String, ready: Bool = true) -> ContainerStatus {
        ContainerStatus(
            name: name, state: ContainerState(running: ContainerStateRunning(startedAt: Time.now())), ready: ready,
            image: "img", started: true)
    }

    func waiting(_ name: String, _ reason: String) -> ContainerStatus {
        ContainerStatus(name: name, state: ContainerState(waiting: ContainerStateWaiting(reason: reason)), image: "img")
    }

    func spec(_ names: [String], gates: [String] = [], restartPolicy: String = "Always") -> PodSpec {
        PodSpec(
            containers: names.map { Container(name: $0, image: "img") }, restartPolicy: restartPolicy,
            readinessGates: gates.isEmpty ? nil : gates.map(PodReadinessGate.init))
    }

    @Test func containersReadyTrueWhenAllReady() {
        let c = PodConditions.containersReady(
            spec: spec(["a", "b"]), statuses: [running("a"), running("b")], initStatuses: [], phase: "Running")
        #expect(c.status == "True")
        #expect(c.reason == nil)
    }

    @Test func containersReadyListsUnknownAndUnready() {
        let c = PodConditions.containersReady(
            spec: spec(["a", "b", "c"]), statuses: [running("a", ready: false), running("b", ready: false)],
            initStatuses: [], phase: "Running")
        #expect(c.status == "False")
        #expect(c.reason == "ContainersNotReady")
        #expect(c.message == "containers with unknown status: [c], containers with unready status: [a b]")
    }

    @Test func containersReadyNilStatuses() {
        let c = PodConditions.containersReady(spec: spec(["a"]), statuses: nil, initStatuses: nil, phase: "Pending")
        #expect(c.status == "False")
        #expect(c.reason == "UnknownContainerStatuses")
    }

    @Test func containersReadyCompletedAndFailed() {
        let done = ContainerStatus(
            name: "a", state: ContainerState(terminated: ContainerStateTerminated(exitCode: 0, reason: "Completed")), image: "i")
        #expect(
            PodConditions.containersReady(spec: spec(["a"]), statuses: [done], initStatuses: [], phase: "Succeeded").reason
                == "PodCompleted")
        #expect(PodConditions.containersReady(spec: spec(["a"]), statuses: [done], initStatuses: [], phase: "Failed").reason == "PodFailed")
    }

    @Test func readyCopiesContainersReadyWhenFalse() {
        let s = spec(["a"], gates: ["InPlaceUpdateReady"])
        let cr = PodConditions.containersReady(spec: s, statuses: [running("a", ready: false)], initStatuses: [], phase: "Running")
        let r = PodConditions.ready(spec: s, containersReady: cr, conditions: [])
        #expect(r.status == "False")
        #expect(r.reason == "ContainersNotReady")
        #expect(r.message == "containers with unready status: [a]")
    }

    @Test func readinessGateWithoutConditionB10() {
        let s = spec(["a"], gates: ["InPlaceUpdateReady"])
        let cr = PodConditions.containersReady(spec: s, statuses: [running("a")], initStatuses: [], phase: "Running")
        #expect(cr.status == "True")
        let r = PodConditions.ready(spec: s, containersReady: cr, conditions: [])
        #expect(r.status == "False")
        #expect(r.reason == "ReadinessGatesNotReady")
        #expect(r.message == "corresponding condition of pod readiness gate \"InPlaceUpdateReady\" does not exist.")
        // The condition appearing True flips Ready without touching containers.
        let r2 = PodConditions.ready(spec: s, containersReady: cr, conditions: [PodCondition(type: "InPlaceUpdateReady", status: "True")])
        #expect(r2.status == "True")
    }

    @Test func readinessGateFalseB9() {
        let s = spec(["a"], gates: ["InPlaceUpdateReady", "other/gate"])
        let cr = PodConditions.containersReady(spec: s, statuses: [running("a")], initStatuses: [], phase: "Running")
        let r = PodConditions.ready(
            spec: s, containersReady: cr,
            conditions: [
                PodCondition(type: "InPlaceUpdateReady", status: "False", reason: "StartInPlaceUpdate"),
                PodCondition(type: "Ready", status: "True"),  // an external stale writer: ignored
            ])
        #expect(r.status == "False")
        #expect(r.reason == "ReadinessGatesNotReady")
        #expect(
            r.message
                == "the status of pod readiness gate \"InPlaceUpdateReady\" is not \"True\", but False, corresponding condition of pod readiness gate \"other/gate\" does not exist."
        )
    }

    @Test func initializedRules() {
        var s = spec(["a"])
        #expect(PodConditions.initialized(spec: s, initStatuses: [], statuses: [], phase: "Pending").status == "True")
        s.initContainers = [Container(name: "init", image: "img")]
        let none = PodConditions.initialized(spec: s, initStatuses: [], statuses: [], phase: "Pending")
        #expect(none.status == "False")
        #expect(none.reason == "ContainersNotInitialized")
        #expect(none.message == "containers with unknown status: [init]")
        let runningInit = PodConditions.initialized(spec: s, initStatuses: [running("init")], statuses: [], phase: "Pending")
        #expect(runningInit.message == "containers with incomplete status: [init]")
        let done = ContainerStatus(name: "init", state: ContainerState(terminated: ContainerStateTerminated(exitCode: 0)), image: "i")
        #expect(PodConditions.initialized(spec: s, initStatuses: [done], statuses: [], phase: "Pending").status == "True")
        #expect(PodConditions.initialized(spec: s, initStatuses: nil, statuses: nil, phase: "Pending").reason == "UnknownContainerStatuses")
    }
}

/// kubelet's getPhase rules (docs/facts.md, "Phase").
struct PodPhaseTests {
    func status(_ name: String, _ state: ContainerState, last: ContainerState = ContainerState()) -> ContainerStatus {
        ContainerStatus(name: name, state: state, lastState: last, image: "i")
    }
    let run = ContainerState(running: ContainerStateRunning(startedAt: nil))
    let ok = ContainerState(terminated: ContainerStateTerminated(exitCode: 0))
    let bad = ContainerState(terminated: ContainerStateTerminated(exitCode: 1))
    let wait = ContainerState(waiting: ContainerStateWaiting(reason: "ContainerCreating"))

    func spec(_ policy: String, _ n: Int = 2) -> PodSpec {
        PodSpec(containers: (0..<n).map { Container(name: "c\($0)", image: "i") }, restartPolicy: policy)
    }

    @Test func pendingWhileWaiting() {
        #expect(PodPhase.compute(spec: spec("Always"), initStatuses: [], statuses: [status("c0", run), status("c1", wait)]) == "Pending")
    }

    @Test func runningWhenAllKnownAndOneRuns() {
        #expect(PodPhase.compute(spec: spec("Always"), initStatuses: [], statuses: [status("c0", run), status("c1", ok)]) == "Running")
    }

    @Test func pendingWhenUnknown() {
        #expect(PodPhase.compute(spec: spec("Always"), initStatuses: [], statuses: [status("c0", run)]) == "Pending")
    }

    @Test func allStoppedByPolicy() {
        let s = [status("c0", ok), status("c1", bad)]
        #expect(PodPhase.compute(spec: spec("Always"), initStatuses: [], statuses: s) == "Running")
        #expect(PodPhase.compute(spec: spec("Never"), initStatuses: [], statuses: s) == "Failed")
        #expect(PodPhase.compute(spec: spec("OnFailure"), initStatuses: [], statuses: s) == "Running")
        #expect(PodPhase.compute(spec: spec("Never"), initStatuses: [], statuses: [status("c0", ok), status("c1", ok)]) == "Succeeded")
        #expect(PodPhase.compute(spec: spec("OnFailure"), initStatuses: [], statuses: [status("c0", ok), status("c1", ok)]) == "Succeeded")
    }

    @Test func waitingWithLastStateCountsAsStopped() {
        let crash = status("c0", ContainerState(waiting: ContainerStateWaiting(reason: "CrashLoopBackOff")), last: bad)
        #expect(PodPhase.compute(spec: spec("Always", 1), initStatuses: [], statuses: [crash]) == "Running")
    }

    @Test func failedInitUnderNever() {
        var s = spec("Never", 1)
        s.initContainers = [Container(name: "init", image: "i")]
        #expect(PodPhase.compute(spec: s, initStatuses: [status("init", bad)], statuses: [status("c0", wait)]) == "Failed")
        #expect(PodPhase.compute(spec: s, initStatuses: [status("init", run)], statuses: []) == "Pending")
    }
}

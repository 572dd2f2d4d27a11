import CLIKit
import Foundation
import PodAPI
import PodFixtures
import Testing

/// `inplacectl get pods`: kubectl's columns and cells.
@Suite("Pod table")
struct PodTablePrinterTests {
    static func crashLooping() -> Pod {
        var sidecar = Fixtures.waiting("sidecar", reason: "CrashLoopBackOff", image: "busybox", restarts: 5)
        sidecar.lastState = ContainerState(
            terminated: ContainerStateTerminated(
                exitCode: 1, reason: "Error", startedAt: Fixtures.ago(310), finishedAt: Fixtures.ago(300)))
        return Fixtures.pod("api", age: 192, statuses: [Fixtures.running("app"), sidecar])
    }

    @Test("NAME READY STATUS RESTARTS AGE, padded as kubectl's tabwriter")
    func table() {
        let web = Fixtures.pod("web", age: 45, statuses: [Fixtures.running("app")])
        let text = PodTablePrinter(now: Fixtures.now).print([web, Self.crashLooping()])
        #expect(
            text == """
                NAME   READY   STATUS             RESTARTS     AGE
                web    1/1     Running            0            45s
                api    1/2     CrashLoopBackOff   5 (5m ago)   3m12s

                """)
    }

    @Test("-A adds NAMESPACE first; -o wide adds IP, NODE, NOMINATED NODE, READINESS GATES")
    func namespaceAndWide() {
        let web = Fixtures.pod(
            "web", age: 45, statuses: [Fixtures.running("app")],
            conditions: Fixtures.conditions(ready: false, gate: false),
            readinessGates: [WellKnown.inPlaceUpdateReady])
        let db = Fixtures.pod("db", namespace: "data", age: 5 * 3600, statuses: [Fixtures.running("postgres")])
        #expect(
            PodTablePrinter(withNamespace: true, now: Fixtures.now).print([db, web]) == """
                NAMESPACE   NAME   READY   STATUS    RESTARTS   AGE
                data        db     1/1     Running   0          5h
                default     web    1/1     Running   0          45s

                """)
        #expect(
            PodTablePrinter(wide: true, now: Fixtures.now).print([web, db]) == """
                NAME   READY   STATUS    RESTARTS   AGE   IP         NODE     NOMINATED NODE   READINESS GATES
                web    1/1     Running   0          45s   10.0.0.5   node-1   <none>           0/1
                db     1/1     Running   0          5h    10.0.0.5   node-1   <none>           <none>

                """)
    }

    func summary(_ pod: Pod) -> PodSummary { PodSummary(pod, now: Fixtures.now) }

    @Test(
        "STATUS is the first waiting reason, counting from the last container",
        arguments: [
            "ContainerCreating", "CrashLoopBackOff", "ErrImagePull", "ImagePullBackOff", "CreateContainerConfigError",
        ])
    func waitingReason(reason: String) {
        let pod = Fixtures.pod("p", statuses: [Fixtures.waiting("a", reason: reason)], phase: "Pending")
        #expect(summary(pod).status == reason)
        #expect(summary(pod).ready == "0/1")
    }

    @Test("STATUS for terminated containers: reason, ExitCode, Signal")
    func terminated() {
        func pod(_ t: ContainerStateTerminated, phase: String = "Running") -> Pod {
            Fixtures.pod("p", statuses: [ContainerStatus(name: "a", state: ContainerState(terminated: t), image: "x")], phase: phase)
        }
        #expect(summary(pod(ContainerStateTerminated(exitCode: 1, reason: "Error"))).status == "Error")
        #expect(summary(pod(ContainerStateTerminated(exitCode: 0, reason: "Completed"), phase: "Succeeded")).status == "Completed")
        #expect(summary(pod(ContainerStateTerminated(exitCode: 137))).status == "ExitCode:137")
        #expect(summary(pod(ContainerStateTerminated(exitCode: 137, signal: 9))).status == "Signal:9")
        #expect(summary(pod(ContainerStateTerminated(exitCode: 137, reason: "OOMKilled"))).status == "OOMKilled")
    }

    @Test("Completed with a container still running is Running when the pod is Ready, else NotReady")
    func completedButRunning() {
        let done = ContainerStatus(
            name: "job", state: ContainerState(terminated: ContainerStateTerminated(exitCode: 0, reason: "Completed")), image: "x")
        let ready = Fixtures.pod("p", statuses: [Fixtures.running("app"), done], conditions: Fixtures.conditions(ready: true))
        #expect(summary(ready).status == "Running")
        #expect(summary(ready).ready == "1/2")
        let notReady = Fixtures.pod("p", statuses: [Fixtures.running("app"), done], conditions: Fixtures.conditions(ready: false))
        #expect(summary(notReady).status == "NotReady")
    }

    @Test("init containers: Init:x/y, Init:<reason>, Init:ExitCode")
    func initContainers() {
        func pod(_ inits: [ContainerStatus]) -> Pod {
            var p = Fixtures.pod(
                "p", statuses: [Fixtures.waiting("app", reason: "PodInitializing")], phase: "Pending",
                conditions: [PodCondition(type: "Initialized", status: "False")])
            p.spec.initContainers = [Container(name: "init-a", image: "busybox"), Container(name: "init-b", image: "busybox")]
            p.status?.initContainerStatuses = inits
            return p
        }
        let runningInit = ContainerStatus(
            name: "init-a", state: ContainerState(running: ContainerStateRunning(startedAt: Fixtures.ago(5))), image: "busybox")
        let doneInit = ContainerStatus(
            name: "init-a", state: ContainerState(terminated: ContainerStateTerminated(exitCode: 0, reason: "Completed")), image: "busybox")
        let waitingB = ContainerStatus(
            name: "init-b", state: ContainerState(waiting: ContainerStateWaiting(reason: "PodInitializing")), image: "busybox")
        let runningB = ContainerStatus(
            name: "init-b", state: ContainerState(running: ContainerStateRunning(startedAt: Fixtures.ago(1))), image: "busybox")
        #expect(summary(pod([runningInit, waitingB])).status == "Init:0/2")
        #expect(summary(pod([doneInit, runningB])).status == "Init:1/2")
        let crashing = ContainerStatus(
            name: "init-a", state: ContainerState(waiting: ContainerStateWaiting(reason: "CrashLoopBackOff")), restartCount: 3,
            image: "busybox")
        #expect(summary(pod([crashing, waitingB])).status == "Init:CrashLoopBackOff")
        #expect(summary(pod([crashing, waitingB])).restarts == "3")
        let failed = ContainerStatus(
            name: "init-a", state: ContainerState(terminated: ContainerStateTerminated(exitCode: 2)), image: "busybox")
        #expect(summary(pod([failed, waitingB])).status == "Init:ExitCode:2")
        let errored = ContainerStatus(
            name: "init-a", state: ContainerState(terminated: ContainerStateTerminated(exitCode: 1, reason: "Error")), image: "busybox")
        #expect(summary(pod([errored, waitingB])).status == "Init:Error")
    }

    @Test("a restartable init container (sidecar) counts in READY")
    func sidecar() {
        var pod = Fixtures.pod("p", statuses: [Fixtures.running("app")])
        pod.spec.initContainers = [Container(name: "proxy", image: "envoy", other: ["restartPolicy": .string("Always")])]
        pod.status?.initContainerStatuses = [Fixtures.running("proxy", image: "envoy", restarts: 2, lastFinishedAgo: 60)]
        let s = summary(pod)
        #expect(s.ready == "2/2")
        #expect(s.status == "Running")
        #expect(s.restarts == "2 (60s ago)")
    }

    @Test("Terminating, reasons, phases")
    func phases() {
        var deleting = Fixtures.pod("p", statuses: [Fixtures.running("app")])
        deleting.metadata.deletionTimestamp = Fixtures.ago(10)
        #expect(summary(deleting).status == "Terminating")

        var evicted = Fixtures.pod("p", statuses: [], phase: "Failed")
        evicted.status?.reason = "Evicted"
        #expect(summary(evicted).status == "Evicted")
        evicted.metadata.deletionTimestamp = Fixtures.ago(10)
        #expect(summary(evicted).status == "Evicted", "a terminal pod is never Terminating")

        let pending = Fixtures.pod("p", statuses: [], phase: "Pending")
        #expect(summary(pending).status == "Pending")
        #expect(summary(pending).ready == "0/0")
    }

    @Test("RESTARTS sums containers and names the last restart's age")
    func restarts() {
        let a = Fixtures.running("a", restarts: 2, lastFinishedAgo: 3600)
        let b = Fixtures.running("b", restarts: 1, lastFinishedAgo: 125)
        #expect(summary(Fixtures.pod("p", statuses: [a, b])).restarts == "3 (2m5s ago)")
        // Restarts without a recorded last state: the bare count.
        #expect(summary(Fixtures.pod("p", statuses: [Fixtures.running("a", restarts: 4)])).restarts == "4")
        #expect(summary(Fixtures.pod("p", statuses: [Fixtures.running("a")])).restarts == "0")
    }

    @Test("AGE comes from creationTimestamp")
    func age() {
        for (seconds, text) in [(45.0, "45s"), (192.0, "3m12s"), (5 * 3600.0, "5h"), (51 * 3600.0, "2d3h")] {
            let row = PodTablePrinter(now: Fixtures.now).row(Fixtures.pod("p", age: seconds, statuses: [Fixtures.running("a")]))
            #expect(row.last == text)
        }
        var noTimestamp = Fixtures.pod("p", statuses: [])
        noTimestamp.metadata.creationTimestamp = nil
        #expect(PodTablePrinter(now: Fixtures.now).row(noTimestamp).last == "<unknown>")
    }
}

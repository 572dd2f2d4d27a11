import CLIKit
import Foundation
import PodAPI
import PodFixtures
import Testing

/// Single sections of `describe pod`, compared with runs of spaces collapsed.
@Suite("Pod describer sections")
struct PodDescriberSectionTests {
    func lines(_ pod: Pod, updates: [InPlaceUpdate]? = nil, events: [Event]? = nil) -> [String] {
        PodDescriber(now: Fixtures.now, timeZone: TimeZone(identifier: "UTC")!)
            .describe(pod, updates: updates, events: events)
            .split(separator: "\n").map { line in
                // Keep the indentation, collapse the alignment and drop trailing spaces.
                let indent = line.prefix { $0 == " " }
                return indent + line.split(separator: " ").joined(separator: " ")
            }
    }

    /// The lines from the one equal to `start` up to (excluding) the next line starting at column 0.
    func section(_ all: [String], _ start: String) -> [String] {
        guard let i = all.firstIndex(of: start) else { return [] }
        return Array(all[i...].prefix { $0 == start || $0.hasPrefix(" ") || $0.isEmpty })
    }

    @Test("a gate that is False and a gate with no condition, with the update under way")
    func gatesDuringUpdate() {
        var pod = Fixtures.pod(
            "web", statuses: [Fixtures.running("app", ready: true)],
            conditions: Fixtures.conditions(ready: false, gate: false),
            readinessGates: [WellKnown.inPlaceUpdateReady, "example.com/lb-ready"])
        pod.status?.conditions?[3].reason = "ReadinessGatesNotReady"
        let running = InPlaceUpdate(
            id: 3, container: "app", fromImage: "nginx:1.25", toImage: "nginx:1.26",
            oldImageID: Fixtures.nginxDigestOld, step: .grace, startedAt: Fixtures.ago(20))
        let all = lines(pod, updates: [running], events: [])
        let gates = section(all, "Readiness Gates:")
        #expect(gates == ["Readiness Gates:", "  Type Status", "  InPlaceUpdateReady False", "  example.com/lb-ready <none>"])
        let conditions = section(all, "Conditions:")
        #expect(conditions.contains("  Ready False"))
        #expect(conditions.contains("  InPlaceUpdateReady False"))
        let updates = section(all, "In-place Updates:")
        #expect(
            updates == [
                "In-place Updates:", "  Container Image Step Started Finished Image ID",
                "  --------- ----- ---- ------- -------- --------",
                "  app nginx:1.25 -> nginx:1.26 Grace 20s ago <none> 111111111111 -> <none>",
            ])
    }

    @Test("container states: Waiting with reason, Terminated with signal and message")
    func states() {
        var crashed = ContainerStatus(name: "app", image: "nginx:1.25", imageID: Fixtures.nginxDigestOld, containerID: "mock://c1")
        crashed.state = ContainerState(waiting: ContainerStateWaiting(reason: "CrashLoopBackOff", message: "back-off 40s"))
        crashed.lastState = ContainerState(
            terminated: ContainerStateTerminated(
                exitCode: 137, signal: 9, reason: "OOMKilled", message: "killed", startedAt: Fixtures.ago(100), finishedAt: Fixtures.ago(90)
            ))
        crashed.restartCount = 3
        let all = lines(Fixtures.pod("web", statuses: [crashed]))
        let container = section(all, "  app:")
        #expect(
            container == [
                "  app:", "    Container ID: mock://c1", "    Image: nginx:1.25", "    Image ID: \(Fixtures.nginxDigestOld)",
                "    Port: <none>", "    Host Port: <none>",
                "    State: Waiting", "      Reason: CrashLoopBackOff",
                "    Last State: Terminated", "      Reason: OOMKilled", "      Message: killed", "      Exit Code: 137", "      Signal: 9",
                "      Started: Fri, 15 Jan 2027 07:58:20 +0000", "      Finished: Fri, 15 Jan 2027 07:58:30 +0000",
                "    Ready: False", "    Restart Count: 3", "    Environment: <none>", "    Mounts: <none>",
            ])
    }

    @Test("spec details: command, args, ports, resources, probes, env, mounts, volumes, tolerations")
    func specDetails() {
        var pod = Fixtures.pod("web", statuses: [Fixtures.running("app")])
        pod.spec.containers[0].command = ["nginx"]
        pod.spec.containers[0].args = ["-g", "daemon off;"]
        pod.spec.containers[0].other = [
            "ports": .array([
                .object(["containerPort": .integer(80)]),
                .object(["containerPort": .integer(53), "protocol": .string("UDP"), "hostPort": .integer(53)]),
            ]),
            "resources": .object([
                "limits": .object(["memory": .string("128Mi")]), "requests": .object(["cpu": .string("100m"), "memory": .string("64Mi")]),
            ]),
            "readinessProbe": .object([
                "httpGet": .object(["path": .string("/healthz"), "port": .integer(8080)]), "periodSeconds": .integer(5),
            ]),
            "livenessProbe": .object(["exec": .object(["command": .array([.string("cat"), .string("/tmp/ok")])])]),
            "env": .array([
                .object(["name": .string("MODE"), "value": .string("prod")]),
                .object(["name": .string("NODE"), "valueFrom": .object(["fieldRef": .object(["fieldPath": .string("spec.nodeName")])])]),
            ]),
            "volumeMounts": .array([
                .object(["name": .string("data"), "mountPath": .string("/var/lib/app")]),
                .object(["name": .string("conf"), "mountPath": .string("/etc/app"), "readOnly": .bool(true)]),
            ]),
        ]
        pod.spec.other["volumes"] = .array([
            .object(["name": .string("data"), "hostPath": .object(["path": .string("/srv/data"), "type": .string("DirectoryOrCreate")])]),
            .object(["name": .string("conf"), "emptyDir": .object([:])]),
        ])
        pod.spec.tolerations = [
            .object(["operator": .string("Exists")]),
            .object([
                "key": .string("node.kubernetes.io/not-ready"), "operator": .string("Exists"),
                "effect": .string("NoExecute"), "tolerationSeconds": .integer(300),
            ]),
        ]
        pod.status?.qosClass = nil
        let all = lines(pod)
        let container = section(all, "  app:")
        for expected in [
            "    Command:", "      nginx", "    Args:", "      -g", "      daemon off;", "    Ports: 80/TCP, 53/UDP",
            "    Host Ports: 0/TCP, 53/UDP", "    Limits:", "      memory: 128Mi", "    Requests:", "      cpu: 100m",
            "    Liveness: exec [cat /tmp/ok] delay=0s timeout=1s period=10s #success=1 #failure=3",
            "    Readiness: http-get http://:8080/healthz delay=0s timeout=1s period=5s #success=1 #failure=3",
            "    Environment:", "      MODE: prod", "      NODE: (v1:spec.nodeName)",
            "    Mounts:", "      /etc/app from conf (ro)", "      /var/lib/app from data (rw)",
        ] {
            #expect(container.contains(expected), "\(expected)")
        }
        #expect(
            section(all, "Volumes:") == [
                "Volumes:", "  data:", "    Type: HostPath (bare host directory volume)",
                "    Path: /srv/data", "    HostPathType: DirectoryOrCreate", "  conf:",
                "    Type: EmptyDir (a temporary directory that shares a pod's lifetime)",
                "    Medium:", "    SizeLimit: <unset>",
            ])
        #expect(all.contains("QoS Class: Burstable"))
        // Tolerations share a column block with the volume fields and QoS Class (17 = "Node-Selectors:" + 2).
        #expect(
            section(all, "Tolerations: op=Exists") == [
                "Tolerations: op=Exists", "                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s",
            ])
    }

    @Test("init containers, Terminating, reason and message")
    func podLevel() {
        var pod = Fixtures.pod("web", statuses: [Fixtures.waiting("app", reason: "PodInitializing")], phase: "Pending")
        pod.spec.initContainers = [Container(name: "migrate", image: "migrate:1")]
        pod.status?.initContainerStatuses = [
            ContainerStatus(
                name: "migrate",
                state: ContainerState(
                    terminated: ContainerStateTerminated(
                        exitCode: 0, reason: "Completed", startedAt: Fixtures.ago(50), finishedAt: Fixtures.ago(40))), image: "migrate:1")
        ]
        pod.status?.reason = "DeadlineExceeded"
        pod.status?.message = "Pod was active on the node longer than the specified deadline"
        pod.metadata.deletionTimestamp = Fixtures.ago(15)
        pod.metadata.deletionGracePeriodSeconds = 30
        let all = lines(pod)
        #expect(all.contains("Status: Terminating (lasts 15s)"))
        #expect(all.contains("Termination Grace Period: 30s"))
        #expect(all.contains("Reason: DeadlineExceeded"))
        #expect(all.contains("Message: Pod was active on the node longer than the specified deadline"))
        let inits = section(all, "Init Containers:")
        #expect(inits.contains("  migrate:"))
        #expect(inits.contains("    State: Terminated"))
        #expect(inits.contains("      Reason: Completed"))
        #expect(all.firstIndex(of: "Init Containers:")! < all.firstIndex(of: "Containers:")!)
    }

    @Test("long and multi-line annotations as kubectl folds them")
    func annotations() {
        var pod = Fixtures.pod("web", statuses: [])
        pod.metadata.annotations = ["a": "short", "b": "line1\nline2", "kubectl.kubernetes.io/last-applied-configuration": "{}"]
        let all = lines(pod)
        // Continuations start at the block's column (14 = "Annotations:" + 2), values 2 further.
        #expect(
            section(all, "Annotations: a: short") == [
                "Annotations: a: short", "              b:", "                line1", "                line2",
            ])
    }
}

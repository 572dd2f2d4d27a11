import CLIKit
import Foundation
import PodAPI
import PodFixtures
import Testing

/// `inplacectl describe pod`: kubectl's sections, plus the in-place update history.
@Suite("Pod describer")
struct PodDescriberTests {
    static func pod() -> Pod {
        var app = Fixtures.running("app", image: "nginx:1.26", restarts: 1, startedAgo: 240, lastFinishedAgo: 240)
        app.imageID = Fixtures.nginxDigestNew
        var pod = Fixtures.pod(
            "web", statuses: [app], conditions: Fixtures.conditions(ready: true, gate: true),
            readinessGates: [WellKnown.inPlaceUpdateReady], labels: ["tier": "frontend", "app": "web"])
        pod.spec.containers[0].other["ports"] = .array([.object(["containerPort": .integer(80)])])
        pod.metadata.annotations = [WellKnown.updatePolicyAnnotation: WellKnown.inPlaceIfPossible]
        return pod
    }

    static func updates() -> [InPlaceUpdate] {
        [
            Fixtures.completedUpdate(),
            InPlaceUpdate(
                id: 2, container: "app", fromImage: "nginx:1.26", toImage: "nginx:1.27",
                oldImageID: Fixtures.nginxDigestNew, step: .failed, startedAt: Fixtures.ago(120),
                finishedAt: Fixtures.ago(100), message: "pull nginx:1.27: not found"),
        ]
    }

    static func events() -> [Event] {
        [
            Fixtures.event(
                "BackOff", pod: "web", type: "Warning", message: "Back-off pulling image \"nginx:1.27\"",
                count: 3, firstAgo: 200, lastAgo: 120),
            Fixtures.event("Pulling", pod: "web", message: "Pulling image \"nginx:1.26\"", firstAgo: 300),
            Fixtures.event("Pulled", pod: "web", message: "Successfully pulled image \"nginx:1.26\"", firstAgo: 280),
            Fixtures.event("Killing", pod: "web", message: "Stopping container app", firstAgo: 250),
            Fixtures.event("Started", pod: "web", message: "Started container app\n", firstAgo: 240),
        ]
    }

    // Volumes..Tolerations share a column block with the Conditions rows, as in kubectl.
    static let expected: [String] = [
        "Name:         web",
        "Namespace:    default",
        "Node:         node-1/10.0.0.5",
        "Start Time:   Fri, 15 Jan 2027 07:00:00 +0000",
        "Labels:       app=web",
        "              tier=frontend",
        "Annotations:  inplaced.io/pod-update-policy: InPlaceIfPossible",
        "Status:       Running",
        "IP:           10.0.0.5",
        "IPs:",
        "  IP:  10.0.0.5",
        "Containers:",
        "  app:",
        "    Container ID:   mock://app-0123456789abcdef",
        "    Image:          nginx:1.26",
        "    Image ID:       docker.io/library/nginx@sha256:2222222222222222bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
        "    Port:           80/TCP",
        "    Host Port:      0/TCP",
        "    State:          Running",
        "      Started:      Fri, 15 Jan 2027 07:56:00 +0000",
        "    Last State:     Terminated",
        "      Reason:       Completed",
        "      Exit Code:    0",
        "      Started:      Fri, 15 Jan 2027 07:46:00 +0000",
        "      Finished:     Fri, 15 Jan 2027 07:56:00 +0000",
        "    Ready:          True",
        "    Restart Count:  1",
        "    Environment:    <none>",
        "    Mounts:         <none>",
        "Readiness Gates:",
        "  Type                 Status",
        "  InPlaceUpdateReady   True ",
        "Conditions:",
        "  Type                 Status",
        "  PodScheduled         True ",
        "  Initialized          True ",
        "  ContainersReady      True ",
        "  Ready                True ",
        "  InPlaceUpdateReady   True ",
        "Volumes:               <none>",
        "QoS Class:             BestEffort",
        "Node-Selectors:        <none>",
        "Tolerations:           <none>",
        "In-place Updates:",
        "  Container  Image                     Step       Started  Finished  Image ID                      Message",
        "  ---------  -----                     ----       -------  --------  --------                      -------",
        "  app        nginx:1.25 -> nginx:1.26  Completed  5m ago   4m ago    111111111111 -> 222222222222  ",
        "  app        nginx:1.26 -> nginx:1.27  Failed     2m ago   100s ago  222222222222 -> <none>        pull nginx:1.27: not found",
        "Events:",
        "  Type     Reason   Age                 From      Message",
        "  ----     ------   ----                ----      -------",
        "  Normal   Pulling  5m                  inplaced  Pulling image \"nginx:1.26\"",
        "  Normal   Pulled   4m40s               inplaced  Successfully pulled image \"nginx:1.26\"",
        "  Normal   Killing  4m10s               inplaced  Stopping container app",
        "  Normal   Started  4m                  inplaced  Started container app",
        "  Warning  BackOff  2m (x3 over 3m20s)  inplaced  Back-off pulling image \"nginx:1.27\"",
    ]

    @Test("the whole description, aligned as kubectl's describe")
    func whole() {
        let text = PodDescriber(now: Fixtures.now, timeZone: TimeZone(identifier: "UTC")!)
            .describe(Self.pod(), updates: Self.updates(), events: Self.events())
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines == Self.expected + [""])
    }
}

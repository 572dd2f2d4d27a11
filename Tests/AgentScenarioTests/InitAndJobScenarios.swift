import Foundation
import MockRuntime
import NodeAgent
import PodAPI
import Testing

/// Init containers run to completion before the app; a job's pod ends Succeeded or Failed.
@Suite(.serialized) struct InitAndJobScenarios {
    @Test func initContainerRunsFirstThenTheApp() async throws {
        let h = try await Harness()
        defer { Task { await h.stop() } }
        await h.mock.setAutoRegistry(true)
        try await h.apply(
            """
            apiVersion: v1
            kind: Pod
            metadata: {name: withinit}
            spec:
              initContainers:
              - {name: migrate, image: "busybox:1.36", command: ["sh", "-c", "sleep 0.3"]}
              containers:
              - {name: app, image: "nginx:1.25"}
            """)
        let pending = try await h.wait("init running") { () -> Pod? in
            let p = try await h.pod("withinit")
            return p.status?.initContainerStatuses?.first?.state.running != nil ? p : nil
        }
        #expect(pending.status?.phase == "Pending")
        #expect(pending.container("app")?.state.waiting?.reason == "PodInitializing")
        let p = try await h.waitReady("withinit")
        #expect(p.status?.initContainerStatuses?.first?.state.terminated?.exitCode == 0)
        #expect(p.status?.condition("Initialized")?.status == "True")
    }

    @Test(arguments: [("exit 0", "Succeeded"), ("exit 2", "Failed")])
    func jobPodEndsByExitCode(command: String, phase: String) async throws {
        let h = try await Harness()
        defer { Task { await h.stop() } }
        await h.mock.setAutoRegistry(true)
        try await h.apply(
            """
            apiVersion: v1
            kind: Pod
            metadata: {name: job}
            spec:
              restartPolicy: Never
              containers:
              - {name: work, image: "busybox:1.36", command: ["sh", "-c", "\(command)"]}
            """)
        let p = try await h.wait("job \(phase)") { () -> Pod? in
            let p = try await h.pod("job")
            return p.status?.phase == phase ? p : nil
        }
        #expect(p.container("work")?.restartCount == 0)
        #expect(p.status?.condition("Ready")?.status == "False")
        #expect(p.status?.condition("Ready")?.reason == (phase == "Succeeded" ? "PodCompleted" : "PodFailed"))
    }
}

import ContainerRuntime
import Foundation
import Testing

@testable import MockRuntime

/// The newcomer's registry: any reference pulls, `missing` ones fail, `crash` ones crash.
struct AutoRegistryTests {
    @Test func anyReferencePullsExceptMissing() async throws {
        let mock = MockRuntime()
        await mock.setAutoRegistry(true)
        let id = try await mock.pullImage("example.com/team/app:1.2", sandboxConfig: nil)
        #expect(id.hasPrefix("sha256:"))
        let again = try await mock.pullImage("example.com/team/app:1.2", sandboxConfig: nil)
        #expect(again == id)
        await #expect(throws: RuntimeError.self) { try await mock.pullImage("nginx:missing-tag", sandboxConfig: nil) }
    }

    @Test func withoutAutoRegistryUnknownReferencesFail() async throws {
        let mock = MockRuntime()
        await #expect(throws: RuntimeError.self) { try await mock.pullImage("example.com/team/app:1.2", sandboxConfig: nil) }
    }

    @Test func crashImagesExitWithCodeOne() async throws {
        let mock = MockRuntime()
        await mock.setAutoRegistry(true)
        _ = try await mock.pullImage("busybox:crash", sandboxConfig: nil)
        let sb = PodSandboxConfig(name: "p", namespace: "default", uid: "u")
        let sandbox = try await mock.runPodSandbox(sb)
        let id = try await mock.createContainer(
            sandboxID: sandbox, config: ContainerConfig(name: "c", image: "busybox:crash"), sandboxConfig: sb)
        try await mock.startContainer(id: id)
        try await mock.waitForExit(containerID: id)
        let st = try await mock.containerStatus(id: id)
        #expect(st.state == .exited)
        #expect(st.exitCode == 1)
        #expect(st.reason == "Error")
    }
}

/// The newcomer's registry reads a container's command as a shell would run it.
struct NewcomerBehaviourTests {
    @Test func commandsThatEndDoEnd() {
        #expect(MockRuntime.newcomerBehaviour(image: "busybox", command: ["sh", "-c", "exit 3"]) == .exitAfterStart(seconds: 0.5, code: 3))
        #expect(MockRuntime.newcomerBehaviour(image: "busybox", command: ["true"]) == .exitAfterStart(seconds: 0.5, code: 0))
        #expect(MockRuntime.newcomerBehaviour(image: "busybox", command: ["false"]) == .exitAfterStart(seconds: 0.5, code: 1))
        #expect(
            MockRuntime.newcomerBehaviour(image: "busybox", command: ["sh", "-c", "echo hi; sleep 2"])
                == .exitAfterStart(seconds: 2, code: 0))
        #expect(MockRuntime.newcomerBehaviour(image: "app:crash", command: []) == .exitAfterStart(seconds: 2, code: 1))
    }

    @Test func servicesRunUntilStopped() {
        #expect(MockRuntime.newcomerBehaviour(image: "nginx", command: []) == .runUntilStopped)
        #expect(MockRuntime.newcomerBehaviour(image: "busybox", command: ["sh", "-c", "tail -F /var/log/x"]) == .runUntilStopped)
        #expect(MockRuntime.newcomerBehaviour(image: "busybox", command: ["sleep", "inf"]) == .runUntilStopped)
    }
}

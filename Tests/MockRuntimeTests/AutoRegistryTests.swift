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
        let id = try await mock.createContainer(sandboxID: sandbox, config: ContainerConfig(name: "c", image: "busybox:crash"), sandboxConfig: sb)
        try await mock.startContainer(id: id)
        try await mock.waitForExit(containerID: id)
        let st = try await mock.containerStatus(id: id)
        #expect(st.state == .exited)
        #expect(st.exitCode == 1)
        #expect(st.reason == "Error")
    }
}

import ContainerRuntime
import Testing

@testable import MockRuntime

@Suite("Pod sandboxes")
struct SandboxTests {
    @Test("a sandbox runs ready with the next IP of 10.88.0.0/16 and echoes its config")
    func runAndStatus() async throws {
        let (mock, clock) = try await makeMock()
        let config = podConfig("web", namespace: "shop", uid: "u1", attempt: 2, labels: ["app": "web"])
        let id = try await mock.runPodSandbox(config)
        let status = try await mock.podSandboxStatus(id: id)
        #expect(status.ip == "10.88.0.2")
        #expect(
            status.sandbox
                == PodSandbox(
                    id: id, name: "web", namespace: "shop", uid: "u1", attempt: 2, state: .ready,
                    createdAt: clock.now(), labels: ["app": "web"], annotations: ["note": "web"]))

        let second = try await mock.runPodSandbox(podConfig("api"))
        #expect(try await mock.podSandboxStatus(id: second).ip == "10.88.0.3")
        let host = try await mock.runPodSandbox(podConfig("node-exporter", hostNetwork: true))
        #expect(try await mock.podSandboxStatus(id: host).ip == "")
        let third = try await mock.runPodSandbox(podConfig("db"))
        #expect(try await mock.podSandboxStatus(id: third).ip == "10.88.0.4")
    }

    @Test("addresses go on sequentially after a removal and cross into the next /24")
    func ipSequence() async throws {
        let mock = MockRuntime()
        var last = ""
        for index in 0..<260 {
            let id = try await mock.runPodSandbox(podConfig("p\(index)"))
            last = try await mock.podSandboxStatus(id: id).ip
            if index == 0 { try await mock.removePodSandbox(id: id) }
        }
        #expect(last == "10.88.1.5")  // 260 addresses from 10.88.0.2, none reused yet
    }

    @Test("the label selector keeps sandboxes carrying every pair")
    func labelSelector() async throws {
        let mock = MockRuntime()
        let a = try await mock.runPodSandbox(podConfig("a", labels: ["app": "web", "tier": "front"]))
        let b = try await mock.runPodSandbox(podConfig("b", labels: ["app": "web"]))
        _ = try await mock.runPodSandbox(podConfig("c", labels: ["app": "db"]))
        #expect(try await mock.listPodSandboxes(labelSelector: ["app": "web"]).map(\.id) == [a, b])
        #expect(try await mock.listPodSandboxes(labelSelector: ["app": "web", "tier": "front"]).map(\.id) == [a])
        #expect(try await mock.listPodSandboxes(labelSelector: ["app": "none"]).isEmpty)
        #expect(try await mock.listPodSandboxes(labelSelector: [:]).count == 3)
    }

    @Test("stopping a sandbox kills its running containers and leaves created ones")
    func stopSandbox() async throws {
        let (mock, clock) = try await makeMock()
        let pod = podConfig()
        let (sandbox, running) = try await runContainer(mock, pod: pod)
        let ref = try #require(try await mock.imageStatus("nginx:1.25")?.id)
        let created = try await mock.createContainer(sandboxID: sandbox, config: containerConfig("side", image: ref), sandboxConfig: pod)
        clock.advance(seconds: 5)

        try await mock.stopPodSandbox(id: sandbox)
        let status = try await mock.podSandboxStatus(id: sandbox)
        #expect(status.sandbox.state == .notReady)
        #expect(status.ip == "10.88.0.2")
        let killed = try await mock.containerStatus(id: running)
        #expect(killed.state == .exited)
        #expect(killed.exitCode == 137)
        #expect(killed.reason == "Error")
        #expect(killed.finishedAt == clock.now())
        #expect(try await mock.containerStatus(id: created).state == .created)

        try await mock.stopPodSandbox(id: sandbox)  // again: fine
        try await mock.stopPodSandbox(id: "unknown")
        await #expect(throws: RuntimeError.failed(call: "CreateContainer", detail: "sandbox container \"\(sandbox)\" is not running")) {
            try await mock.createContainer(sandboxID: sandbox, config: containerConfig("late", image: ref), sandboxConfig: pod)
        }
        await #expect(throws: RuntimeError.failed(call: "StartContainer", detail: "sandbox container \"\(sandbox)\" is not running")) {
            try await mock.startContainer(id: created)
        }
    }

    @Test("removing a sandbox removes its containers and frees its name")
    func removeSandbox() async throws {
        let (mock, _) = try await makeMock()
        let pod = podConfig()
        let (sandbox, container) = try await runContainer(mock, pod: pod)
        let (other, otherContainer) = try await runContainer(mock, pod: podConfig("other"))

        try await mock.removePodSandbox(id: sandbox)
        await #expect(throws: RuntimeError.notFound(call: "PodSandboxStatus", kind: "sandbox", id: sandbox)) {
            try await mock.podSandboxStatus(id: sandbox)
        }
        await #expect(throws: RuntimeError.notFound(call: "ContainerStatus", kind: "container", id: container)) {
            try await mock.containerStatus(id: container)
        }
        #expect(try await mock.listContainers(filter: ContainerFilter()).map(\.id) == [otherContainer])
        #expect(try await mock.listPodSandboxes(labelSelector: [:]).map(\.id) == [other])
        try await mock.removePodSandbox(id: sandbox)  // idempotent
        let again = try await mock.runPodSandbox(pod)
        #expect(again != sandbox)
    }

    @Test("a second sandbox with the same name, namespace, UID and attempt is refused")
    func nameReservation() async throws {
        let mock = MockRuntime()
        let id = try await mock.runPodSandbox(podConfig("web", uid: "u1"))
        let name = "web_default_u1_0"
        await #expect(
            throws: RuntimeError.failed(
                call: "RunPodSandbox", detail: "failed to reserve sandbox name \"\(name)\": name \"\(name)\" is reserved for \"\(id)\"")
        ) {
            try await mock.runPodSandbox(podConfig("web", uid: "u1"))
        }
        _ = try await mock.runPodSandbox(podConfig("web", uid: "u1", attempt: 1))
    }

    @Test("IDs are 64 hex, repeatable for the same sequence, and change with the seed")
    func deterministicIDs() async throws {
        func sequence(seed: String) async throws -> [String] {
            let (mock, _) = try await makeMock(idSeed: seed)
            let (sandbox, container) = try await runContainer(mock)
            let second = try await mock.runPodSandbox(podConfig("second"))
            return [sandbox, container, second]
        }
        let first = try await sequence(seed: "")
        let again = try await sequence(seed: "")
        let seeded = try await sequence(seed: "boot-2")
        #expect(first == again)
        #expect(Set(first).count == 3)
        #expect(first.allSatisfy { ImageName.isHexIdentifier(Substring($0)) })
        #expect(Set(first).isDisjoint(with: seeded))
    }
}

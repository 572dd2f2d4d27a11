import CRIProto
import CRIRuntime
import ContainerRuntime
import Foundation
import Testing

@Suite("value types ↔ CRI messages")
struct ConversionTests {
    let hostSandbox = PodSandboxConfig(
        name: "web", namespace: "default", uid: "uid-1", attempt: 2, hostname: "node1",
        logDirectory: "/var/log/pods/default_web_uid-1",
        labels: ["io.kubernetes.pod.name": "web"], annotations: ["a": "b"], hostNetwork: true)

    @Test("a host-network container: NODE network, CONTAINER pid, POD ipc, and every field carried")
    func hostNetworkContainer() throws {
        let config = ContainerConfig(
            name: "app", attempt: 3, image: "sha256:abc", userSpecifiedImage: "example.local/app:v1",
            command: ["sh", "-c"], args: ["sleep 1"], workingDir: "/work",
            envs: [KeyValue(key: "A", value: "é=1")],
            mounts: [
                Mount(containerPath: "/data", hostPath: "/srv/data", readonly: true), Mount(containerPath: "/rw", hostPath: "/srv/rw"),
            ],
            labels: ["io.kubernetes.container.name": "app"], annotations: ["io.kubernetes.container.hash": "123"],
            logPath: "app/3.log", stopSignal: "SIGTERM")
        let proto = try CRIConversions.containerConfig(config, sandbox: hostSandbox)
        let ns = proto.linux.securityContext.namespaceOptions
        #expect(ns.network == .node)
        #expect(ns.pid == .container)
        #expect(ns.ipc == .pod)
        #expect(proto.metadata.name == "app")
        #expect(proto.metadata.attempt == 3)
        #expect(proto.image.image == "sha256:abc")
        #expect(proto.image.userSpecifiedImage == "example.local/app:v1")
        #expect(proto.command == ["sh", "-c"])
        #expect(proto.args == ["sleep 1"])
        #expect(proto.workingDir == "/work")
        #expect(proto.envs.map(\.key) == ["A"])
        #expect(proto.envs.first.map { String(decoding: $0.value, as: UTF8.self) } == "é=1")
        #expect(proto.mounts.map(\.containerPath) == ["/data", "/rw"])
        #expect(proto.mounts.map(\.hostPath) == ["/srv/data", "/srv/rw"])
        #expect(proto.mounts.map(\.readonly) == [true, false])
        #expect(proto.labels == ["io.kubernetes.container.name": "app"])
        #expect(proto.annotations == ["io.kubernetes.container.hash": "123"])
        #expect(proto.logPath == "app/3.log")
        #expect(proto.stopSignal == .sigterm)
    }

    @Test("the sandbox config carries metadata, log directory and host network")
    func sandboxConfig() {
        let proto = CRIConversions.sandboxConfig(hostSandbox)
        #expect(proto.metadata.name == "web")
        #expect(proto.metadata.namespace == "default")
        #expect(proto.metadata.uid == "uid-1")
        #expect(proto.metadata.attempt == 2)
        #expect(proto.hostname == "", "host network: the node's hostname, as kubelet leaves it unset")
        #expect(proto.logDirectory == "/var/log/pods/default_web_uid-1")
        #expect(proto.labels == ["io.kubernetes.pod.name": "web"])
        #expect(proto.linux.securityContext.namespaceOptions.network == .node)

        var podNetwork = hostSandbox
        podNetwork.hostNetwork = false
        #expect(CRIConversions.sandboxConfig(podNetwork).linux.securityContext.namespaceOptions.network == .pod)
        #expect(CRIConversions.sandboxConfig(podNetwork).hostname == "node1")
        let container = try? CRIConversions.containerConfig(ContainerConfig(name: "c", image: "i"), sandbox: podNetwork)
        #expect(container?.linux.securityContext.namespaceOptions.network == .pod)
    }

    @Test("stop signal names map to CRI's enum; unknown names are refused")
    func stopSignals() throws {
        #expect(StopSignal.criSignal(named: "") == .runtimeDefault)
        #expect(StopSignal.criSignal(named: "SIGTERM") == .sigterm)
        #expect(StopSignal.criSignal(named: "quit") == .sigquit)
        #expect(StopSignal.criSignal(named: "SIGKILL") == .sigkill)
        #expect(StopSignal.criSignal(named: "SIGRTMIN+3") == .sigrtminplus3)
        #expect(StopSignal.criSignal(named: "SIGRTMAX-1") == .sigrtmaxminus1)
        #expect(StopSignal.criSignal(named: "SIGRTMAX") == .sigrtmax)
        #expect(StopSignal.criSignal(named: "SIGBOGUS") == nil)
        #expect(StopSignal.name(of: .sigusr1) == "SIGUSR1")
        #expect(StopSignal.name(of: .sigrtminplus3) == "SIGRTMIN+3")
        #expect(throws: RuntimeError.failed(call: "CreateContainer", detail: "unknown stop signal \"SIGBOGUS\"")) {
            try CRIConversions.containerConfig(ContainerConfig(name: "c", image: "i", stopSignal: "SIGBOGUS"), sandbox: hostSandbox)
        }
    }

    @Test("a container filter sets only what is given")
    func containerFilter() {
        let empty = CRIConversions.containerFilter(ContainerFilter())
        #expect(empty.id.isEmpty && empty.podSandboxID.isEmpty && !empty.hasState && empty.labelSelector.isEmpty)
        let full = CRIConversions.containerFilter(ContainerFilter(id: "c", state: .exited, sandboxID: "s", labelSelector: ["k": "v"]))
        #expect(full.id == "c")
        #expect(full.state.state == .containerExited)
        #expect(full.podSandboxID == "s")
        #expect(full.labelSelector == ["k": "v"])
    }

    @Test("ContainerStatus: image, image_ref, times in ns, reason, exit code, log path")
    func containerStatus() {
        var proto = Runtime_V1_ContainerStatus()
        proto.id = "c1"
        proto.metadata.name = "app"
        proto.metadata.attempt = 1
        proto.state = .containerExited
        proto.createdAt = 1_700_000_000_000_000_001
        proto.startedAt = 1_700_000_000_100_000_000
        proto.finishedAt = 1_700_000_001_000_000_000
        proto.exitCode = 137
        proto.image.image = "example.local/app:v1"
        proto.imageRef = "example.local/app@sha256:4697"
        proto.reason = "Error"
        proto.message = "killed"
        proto.logPath = "/var/log/pods/x/app/1.log"
        proto.labels = ["l": "1"]
        let status = CRIConversions.containerStatus(proto)
        #expect(
            status
                == RuntimeContainerStatus(
                    id: "c1", name: "app", attempt: 1, state: .exited, createdAt: 1_700_000_000_000_000_001,
                    startedAt: 1_700_000_000_100_000_000, finishedAt: 1_700_000_001_000_000_000, exitCode: 137,
                    image: "example.local/app:v1", imageRef: "example.local/app@sha256:4697", reason: "Error", message: "killed",
                    labels: ["l": "1"], logPath: "/var/log/pods/x/app/1.log"))
        #expect(CRIConversions.containerState(Runtime_V1_ContainerState.UNRECOGNIZED(9)) == .unknown)
    }

    @Test("PodSandboxStatus takes network.ip; a sandbox state outside the enum is not ready")
    func sandboxStatus() {
        var proto = Runtime_V1_PodSandboxStatus()
        proto.id = "s1"
        proto.metadata.name = "web"
        proto.metadata.uid = "u"
        proto.metadata.namespace = "ns"
        proto.state = .sandboxReady
        proto.network.ip = "10.88.0.7"
        let status = CRIConversions.podSandboxStatus(proto)
        #expect(status.ip == "10.88.0.7")
        #expect(status.sandbox.state == .ready)
        #expect(status.sandbox.name == "web")
        #expect(CRIConversions.sandboxState(.UNRECOGNIZED(7)) == .notReady)
    }
}

@Suite("CRI container events")
struct ContainerEventConversionTests {
    @Test("a ContainerEventResponse gives the container, the type, the time, and the sandbox's ID and pod UID")
    func containerEvent() {
        var proto = Runtime_V1_ContainerEventResponse()
        proto.containerID = "c1"
        proto.containerEventType = .containerStoppedEvent
        proto.createdAt = 1_700_000_000_000_000_000
        proto.podSandboxStatus.id = "s1"
        proto.podSandboxStatus.metadata.uid = "uid-1"
        let event = CRIConversions.containerEvent(proto)
        #expect(
            event
                == ContainerEvent(
                    containerID: "c1", type: .stopped, createdAt: 1_700_000_000_000_000_000, podSandboxID: "s1", podUID: "uid-1"))
        #expect(!event.isSandbox)
        proto.containerID = "s1"
        proto.containerEventType = .containerDeletedEvent
        #expect(CRIConversions.containerEvent(proto).isSandbox)
        #expect(CRIConversions.containerEvent(proto).type == .deleted)
        var bare = Runtime_V1_ContainerEventResponse()
        bare.containerID = "c2"
        bare.containerEventType = .containerCreatedEvent
        #expect(CRIConversions.containerEvent(bare).podUID == "")
        #expect(CRIConversions.containerEvent(bare).type == .created)
    }
}

import CRIRuntime
import ContainerRuntime
import Foundation
import Logging
import Testing

/// The test environment: `INPLACED_CRI_ENDPOINT` (printed by `scripts/containerd-env.sh up DIR`)
/// points at a real containerd with the images example.local/pause:v1, app:v1, app:v2.
/// `INPLACED_REQUIRE_CRI=1` makes a missing endpoint a failure instead of a skip.
enum CRITestEnvironment {
    static var endpoint: String? {
        let value = ProcessInfo.processInfo.environment["INPLACED_CRI_ENDPOINT"] ?? ""
        return value.isEmpty ? nil : value
    }
    static var required: Bool { ProcessInfo.processInfo.environment["INPLACED_REQUIRE_CRI"] == "1" }
    static let appCommand = ["sh", "-c", "trap \"exit 0\" TERM; while :; do sleep 1 & wait $!; done"]
    static let runLabel = "inplaced.test/cri-run"

    static var logger: Logger {
        var logger = Logger(label: "cri-test")
        logger.logLevel = .info
        return logger
    }

    static func withRuntime<T>(_ body: (CRIRuntime) async throws -> T) async throws -> T {
        let endpoint = try #require(endpoint)
        return try await CRIRuntime.withRuntime(endpoint: endpoint, timeouts: CRITimeouts(general: 20), logger: logger, body)
    }

    /// Runs a host-network sandbox for `body` and always stops and removes it afterwards (also when
    /// `body` throws or an expectation fails), then its log directory.
    static func withSandbox<T>(
        _ runtime: CRIRuntime, name: String,
        _ body: (_ id: String, _ config: PodSandboxConfig) async throws -> T
    ) async throws -> T {
        let uid = UUID().uuidString.lowercased()
        let logDirectory = NSTemporaryDirectory() + "inplaced-cri-test/default_\(name)_\(uid)"
        let config = PodSandboxConfig(
            name: name, namespace: "default", uid: uid, hostname: name,
            logDirectory: logDirectory,
            labels: [KubeletLabels.podName: name, KubeletLabels.podUID: uid, runLabel: uid],
            hostNetwork: true)
        let id = try await runtime.runPodSandbox(config)
        let result: Result<T, any Error>
        do { result = .success(try await body(id, config)) } catch { result = .failure(error) }
        do {
            try await runtime.stopPodSandbox(id: id)
            try await runtime.removePodSandbox(id: id)
        } catch {
            Issue.record("cleanup of sandbox \(id) failed: \(error)")
        }
        try? FileManager.default.removeItem(atPath: logDirectory)
        return try result.get()
    }

    static func appConfig(_ image: String, attempt: UInt32, sandboxUID: String) -> ContainerConfig {
        ContainerConfig(
            name: "app", attempt: attempt, image: image, userSpecifiedImage: image, command: appCommand,
            envs: [KeyValue(key: "HTTP_PORT", value: "none")],
            labels: [KubeletLabels.containerName: "app", runLabel: sandboxUID],
            logPath: "app/\(attempt).log", stopSignal: "SIGTERM")
    }
}

@Suite("CRI environment")
struct CRIEnvironmentTests {
    @Test("INPLACED_REQUIRE_CRI=1 needs INPLACED_CRI_ENDPOINT", .enabled(if: CRITestEnvironment.required))
    func endpointIsSetWhenRequired() {
        #expect(
            CRITestEnvironment.endpoint != nil,
            "INPLACED_REQUIRE_CRI=1 but INPLACED_CRI_ENDPOINT is not set: start one with scripts/containerd-env.sh up DIR and export the line it prints"
        )
    }
}

@Suite(
    "CRIRuntime against a real containerd", .serialized,
    .enabled(
        if: CRITestEnvironment.endpoint != nil,
        "needs a containerd: INPLACED_CRI_ENDPOINT=unix://… (scripts/containerd-env.sh up DIR prints it)"))
struct RealContainerdTests {
    @Test(
        "GetContainerEvents: containerd 1.6 answers Unimplemented, so there is no stream and the agent relists; a newer one gives a stream")
    func containerEvents() async throws {
        try await CRITestEnvironment.withRuntime { runtime in
            let version = try await runtime.version()
            let stream = try await runtime.containerEvents()
            if version.runtimeVersion.hasPrefix("1.6.") || version.runtimeVersion.hasPrefix("1.5.") {
                #expect(stream == nil)
            } else {
                #expect(stream != nil, "containerd \(version.runtimeVersion) serves GetContainerEvents (1.7 and later)")
            }
            // The client stays usable after the refused stream.
            #expect(try await runtime.version().runtimeName == "containerd")
        }
    }

    @Test("Version names containerd and CRI v1")
    func version() async throws {
        let version = try await CRITestEnvironment.withRuntime { try await $0.version() }
        #expect(version.runtimeName == "containerd")
        #expect(!version.runtimeVersion.isEmpty)
        #expect(version.runtimeAPIVersion == "v1")
    }

    @Test(
        "in-place swap: v1 runs in a host-network sandbox, is stopped and removed, v2 runs in the same sandbox",
        .timeLimit(.minutes(2)))
    func inPlaceSwap() async throws {
        try await CRITestEnvironment.withRuntime { runtime in
            let clock = ContinuousClock()
            var sandboxID = ""
            try await CRITestEnvironment.withSandbox(runtime, name: "swap") { id, sandbox in
                sandboxID = id
                var isDirectory: ObjCBool = false
                #expect(
                    FileManager.default.fileExists(atPath: sandbox.logDirectory, isDirectory: &isDirectory) && isDirectory.boolValue,
                    "RunPodSandbox creates the log directory")
                let sandboxStatus = try await runtime.podSandboxStatus(id: id)
                #expect(sandboxStatus.sandbox.state == .ready)
                #expect(sandboxStatus.sandbox.name == "swap")
                #expect(sandboxStatus.sandbox.uid == sandbox.uid)
                #expect(sandboxStatus.ip == "", "host network has no pod IP")

                // v1
                let v1 = try await runtime.createContainer(
                    sandboxID: id, config: CRITestEnvironment.appConfig("example.local/app:v1", attempt: 0, sandboxUID: sandbox.uid),
                    sandboxConfig: sandbox)
                try await runtime.startContainer(id: v1)
                let v1Status = try await runtime.containerStatus(id: v1)
                #expect(v1Status.state == .running)
                #expect(v1Status.name == "app")
                #expect(v1Status.attempt == 0)
                #expect(!v1Status.imageRef.isEmpty)
                #expect(v1Status.image.hasPrefix("example.local/app:v1"))
                #expect(v1Status.logPath == sandbox.logDirectory + "/app/0.log")
                #expect(v1Status.startedAt > 0 && v1Status.startedAt >= v1Status.createdAt)
                #expect(v1Status.labels[CRITestEnvironment.runLabel] == sandbox.uid)
                let v1Exec = try await runtime.execSync(id: v1, command: ["cat", "/etc/image-version"], timeoutSeconds: 5)
                #expect(v1Exec.exitCode == 0)
                #expect(v1Exec.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "v1")
                let failing = try await runtime.execSync(id: v1, command: ["sh", "-c", "echo oops >&2; exit 3"], timeoutSeconds: 5)
                #expect(failing.exitCode == 3)
                #expect(failing.stderr.contains("oops"))

                // stop: the trap exits 0 on SIGTERM, long before the 10 s grace
                let stopStart = clock.now
                try await runtime.stopContainer(id: v1, timeoutSeconds: 10)
                #expect(clock.now - stopStart < .seconds(5))
                let stopped = try await runtime.containerStatus(id: v1)
                #expect(stopped.state == .exited)
                #expect(stopped.exitCode == 0)
                #expect(stopped.reason == "Completed")
                #expect(stopped.finishedAt >= stopped.startedAt)
                try await runtime.stopContainer(id: v1, timeoutSeconds: 10)  // stopping an exited container succeeds
                try await runtime.removeContainer(id: v1)
                try await runtime.removeContainer(id: v1)  // idempotent
                await #expect(throws: RuntimeError.notFound(call: "ContainerStatus", kind: "container", id: v1)) {
                    _ = try await runtime.containerStatus(id: v1)
                }

                // v2 in the same sandbox
                let v2 = try await runtime.createContainer(
                    sandboxID: id, config: CRITestEnvironment.appConfig("example.local/app:v2", attempt: 1, sandboxUID: sandbox.uid),
                    sandboxConfig: sandbox)
                try await runtime.startContainer(id: v2)
                let v2Exec = try await runtime.execSync(id: v2, command: ["cat", "/etc/image-version"], timeoutSeconds: 5)
                #expect(v2Exec.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "v2")
                let v2Status = try await runtime.containerStatus(id: v2)
                #expect(v2Status.state == .running)
                #expect(v2Status.attempt == 1)
                #expect(!v2Status.imageRef.isEmpty && v2Status.imageRef != v1Status.imageRef)

                // lists
                let byLabel = try await runtime.listContainers(
                    filter: ContainerFilter(labelSelector: [CRITestEnvironment.runLabel: sandbox.uid]))
                #expect(byLabel.map(\.id) == [v2])
                #expect(byLabel.first?.sandboxID == id)
                #expect(byLabel.first?.state == .running)
                #expect(byLabel.first?.name == "app")
                let running = try await runtime.listContainers(filter: ContainerFilter(state: .running, sandboxID: id))
                #expect(running.map(\.id) == [v2])
                let exited = try await runtime.listContainers(filter: ContainerFilter(state: .exited, sandboxID: id))
                #expect(exited.isEmpty)
                let sandboxes = try await runtime.listPodSandboxes(labelSelector: [CRITestEnvironment.runLabel: sandbox.uid])
                #expect(sandboxes.map(\.id) == [id])
                #expect(sandboxes.first?.state == .ready)
            }
            // withSandbox stopped and removed it
            let after = try await runtime.listPodSandboxes(labelSelector: [:])
            #expect(!after.contains { $0.id == sandboxID })
            await #expect(throws: RuntimeError.notFound(call: "PodSandboxStatus", kind: "sandbox", id: sandboxID)) {
                _ = try await runtime.podSandboxStatus(id: sandboxID)
            }
            try await runtime.stopPodSandbox(id: sandboxID)  // idempotent on a removed sandbox
            try await runtime.removePodSandbox(id: sandboxID)
        }
    }

    @Test("unknown container and sandbox IDs are .notFound naming the call")
    func unknownIDs() async throws {
        let unknown = String(repeating: "0", count: 64)
        try await CRITestEnvironment.withRuntime { runtime in
            await #expect(throws: RuntimeError.notFound(call: "ContainerStatus", kind: "container", id: unknown)) {
                _ = try await runtime.containerStatus(id: unknown)
            }
            await #expect(throws: RuntimeError.notFound(call: "StartContainer", kind: "container", id: unknown)) {
                try await runtime.startContainer(id: unknown)
            }
            await #expect(throws: RuntimeError.notFound(call: "PodSandboxStatus", kind: "sandbox", id: unknown)) {
                _ = try await runtime.podSandboxStatus(id: unknown)
            }
            try await runtime.removeContainer(id: unknown)
            try await runtime.stopPodSandbox(id: unknown)
            try await runtime.removePodSandbox(id: unknown)
        }
    }

    @Test(
        "images: status of present and missing images, list, a missing image's pull and create fail as .failed",
        .timeLimit(.minutes(2)))
    func images() async throws {
        try await CRITestEnvironment.withRuntime { runtime in
            let app = try #require(try await runtime.imageStatus("example.local/app:v1"))
            #expect(app.id.hasPrefix("sha256:"))
            #expect(app.repoTags.contains("example.local/app:v1"))
            #expect(app.size > 0)
            #expect(try await runtime.imageStatus(app.id)?.id == app.id)
            #expect(try await runtime.imageStatus("example.local/missing:v9") == nil)
            let all = try await runtime.listImages()
            #expect(all.contains { $0.id == app.id })

            // Pulling an image of the node by tag needs no registry; the ref is the image ID.
            // A missing image needs one, and none is reachable: .failed, bounded.
            let clock = ContinuousClock()
            let start = clock.now
            do {
                _ = try await runtime.pullImage("example.local/missing:v9", sandboxConfig: nil)
                Issue.record("pull of a missing image succeeded")
            } catch let error as RuntimeError {
                guard case .failed(let call, let detail) = error else {
                    Issue.record("expected .failed, got \(error)")
                    return
                }
                #expect(call == "PullImage")
                #expect(detail.contains("example.local/missing:v9"))
            }
            #expect(clock.now - start < .seconds(30))

            try await CRITestEnvironment.withSandbox(runtime, name: "missing-image") { id, sandbox in
                do {
                    _ = try await runtime.createContainer(
                        sandboxID: id,
                        config: CRITestEnvironment.appConfig("example.local/missing:v9", attempt: 0, sandboxUID: sandbox.uid),
                        sandboxConfig: sandbox)
                    Issue.record("create from a missing image succeeded")
                } catch let error as RuntimeError {
                    guard case .failed(let call, let detail) = error else {
                        Issue.record("expected .failed, got \(error)")
                        return
                    }
                    #expect(call == "CreateContainer")
                    #expect(detail.contains("example.local/missing:v9"))
                }
            }
        }
    }
}

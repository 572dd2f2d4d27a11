import ContainerRuntime
import Foundation

@testable import MockRuntime

/// `sha256:` + 64 times `character`.
func digest(_ character: Character) -> String { "sha256:" + String(repeating: character, count: 64) }

func podConfig(
    _ name: String = "web", namespace: String = "default", uid: String? = nil, attempt: UInt32 = 0,
    labels: [String: String] = [:], hostNetwork: Bool = false
) -> PodSandboxConfig {
    PodSandboxConfig(
        name: name, namespace: namespace, uid: uid ?? "uid-\(name)", attempt: attempt,
        logDirectory: "/var/log/pods/\(namespace)_\(name)_\(uid ?? "uid-\(name)")",
        labels: labels, annotations: ["note": name], hostNetwork: hostNetwork)
}

func containerConfig(
    _ name: String = "app", image: String, attempt: UInt32 = 0,
    labels: [String: String] = [:]
) -> ContainerConfig {
    ContainerConfig(
        name: name, attempt: attempt, image: image, userSpecifiedImage: image,
        labels: labels, annotations: ["io.kubernetes.container.hash": "abc"],
        logPath: "\(name)/\(attempt).log")
}

/// A mock on a manual clock with `nginx:1.25` registered.
func makeMock(idSeed: String = "") async throws -> (MockRuntime, ManualClock) {
    let clock = ManualClock()
    let mock = MockRuntime(idSeed: idSeed, now: { clock.now() })
    try await mock.registry(add: "nginx:1.25")
    return (mock, clock)
}

/// Pulls `image`, runs a sandbox for `pod` and a started container of it.
@discardableResult
func runContainer(
    _ mock: MockRuntime, image: String = "nginx:1.25", pod: PodSandboxConfig = podConfig(),
    name: String = "app", attempt: UInt32 = 0, labels: [String: String] = [:],
    sandboxID existing: String? = nil
) async throws -> (sandboxID: String, containerID: String) {
    let ref = try await mock.pullImage(image, sandboxConfig: pod)
    let sandboxID: String
    if let existing { sandboxID = existing } else { sandboxID = try await mock.runPodSandbox(pod) }
    var config = containerConfig(name, image: ref, attempt: attempt, labels: labels)
    config.userSpecifiedImage = image
    let id = try await mock.createContainer(sandboxID: sandboxID, config: config, sandboxConfig: pod)
    try await mock.startContainer(id: id)
    return (sandboxID, id)
}

/// Polls `condition` every 5 ms (a safety cap of 2,000 polls keeps a broken test from hanging).
func eventually(_ condition: () async throws -> Bool) async throws -> Bool {
    for _ in 0..<2_000 {
        if try await condition() { return true }
        try await Task.sleep(nanoseconds: 5_000_000)
    }
    return false
}

func temporaryStateFile() -> URL {
    FileManager.default.temporaryDirectory
        .appendingPathComponent("mockruntime-tests-\(UUID().uuidString)", isDirectory: true)
        .appendingPathComponent("runtime.json")
}

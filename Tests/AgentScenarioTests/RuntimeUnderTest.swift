import CRIRuntime
import ContainerRuntime
import Foundation
import Logging
import MockRuntime

/// The runtimes the parity scenarios run on: the mock always, real containerd when
/// `INPLACED_CRI_ENDPOINT` names its socket (`.ci/run` starts one with
/// `scripts/containerd-env.sh up`, which also imports the test images).
enum RuntimeUnderTest: String, CaseIterable, Sendable, CustomStringConvertible {
    case mock
    case containerd

    var description: String { rawValue }

    static var criEndpoint: String? {
        let e = ProcessInfo.processInfo.environment["INPLACED_CRI_ENDPOINT"] ?? ""
        return e.isEmpty ? nil : e
    }

    /// Set by CI: the containerd scenarios must run, so a missing endpoint is a failure.
    static var criRequired: Bool { ProcessInfo.processInfo.environment["INPLACED_REQUIRE_CRI"] == "1" }

    static var available: [RuntimeUnderTest] { criEndpoint == nil ? [.mock] : [.mock, .containerd] }

    /// The images both runtimes hold, as scripts/containerd-env.sh builds them: app:v1 and
    /// app:v2 differ in /etc/image-version; app:v1-alias is app:v1 under a second tag.
    enum Images {
        static let v1 = "example.local/app:v1"
        static let v2 = "example.local/app:v2"
        static let v1Alias = "example.local/app:v1-alias"
        static let missing = "example.local/app:missing"
    }

    /// A running runtime of this kind, and how to stop it.
    func start() async throws -> (runtime: any RuntimeService, stop: @Sendable () async -> Void) {
        switch self {
        case .mock:
            let mock = MockRuntime()
            await mock.setAutoRegistry(true)
            await mock.setWritesLogFiles(true)
            let v1Digest = "sha256:" + String(repeating: "a1", count: 32)
            try await mock.registry(add: Images.v1, digest: v1Digest)
            try await mock.registry(add: Images.v1Alias, digest: v1Digest)
            try await mock.registry(add: Images.v2, digest: "sha256:" + String(repeating: "b2", count: 32))
            // The file the images differ in, as `cat /etc/image-version` prints it in them.
            await mock.setExecHandler { id, command in
                guard command.last == "/etc/image-version" else { return ExecResult(stdout: "", stderr: "", exitCode: 0) }
                let image = (await mock.containerConfig(id: id))?.userSpecifiedImage ?? ""
                let version = image.hasSuffix(":v2") ? "v2" : "v1"
                return ExecResult(stdout: version + "\n", stderr: "", exitCode: 0)
            }
            return (mock, {})
        case .containerd:
            guard let endpoint = Self.criEndpoint else { throw HarnessError("INPLACED_CRI_ENDPOINT is not set") }
            var logger = Logger(label: "cri-test")
            logger.logLevel = .warning
            let cri = try CRIRuntime(endpoint: endpoint, logger: logger)
            let task = Task { try await cri.run() }
            return (
                cri,
                {
                    cri.shutdown()
                    _ = try? await task.value
                }
            )
        }
    }
}

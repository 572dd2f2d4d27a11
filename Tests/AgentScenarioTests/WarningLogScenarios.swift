import Foundation
import Logging
import MockRuntime
import NodeAgent
import PodAPI
import StateStore
import Synchronization
import Testing

/// What the agent logs of manifest warnings: each once, when it appears.
@Suite struct WarningLogScenarios {
    final class Lines: Sendable {
        let lines = Mutex<[String]>([])
        func append(_ line: String) { lines.withLock { $0.append(line) } }
        var all: [String] { lines.withLock { $0 } }
    }

    struct Capture: LogHandler {
        let lines: Lines
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .warning
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            lines.append("\(event.level) \(event.message)" + (event.metadata?["error"].map { ": \($0)" } ?? ""))
        }
    }

    /// An agent on the mock runtime and a store of its own whose log lines (warning and above)
    /// are kept; `done` stops it and removes its directory.
    static func loggingAgent() async throws -> (NodeAgent, Lines, @Sendable () -> Void) {
        let dir = NSTemporaryDirectory() + "ipd-log-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let lines = Lines()
        let logger = Logger(label: "test") { _ in Capture(lines: lines) }
        let store = try StateStore(path: dir + "/state.db")
        let agent = NodeAgent(config: Harness.fastConfig(), runtime: MockRuntime(), store: store, logger: logger)
        try await agent.start()
        return (
            agent, lines,
            {
                Task {
                    await agent.shutdown()
                    try? store.close()
                    try? FileManager.default.removeItem(atPath: dir)
                }
            }
        )
    }

    @Test("a warning carried by every snapshot is logged once; a new one is logged; one that went and came back is logged again")
    func warningsAreLoggedWhenTheyAppear() async throws {
        let (agent, lines, done) = try await Self.loggingAgent()
        defer { done() }
        let directory = "/etc/inplaced/manifests/dir.yaml: a directory, not read (manifests are not searched recursively)"
        let unknown = "/etc/inplaced/manifests/web.yaml: unknown field \"spec.foo\""
        for warnings in [[directory], [directory], [directory], [directory, unknown], [unknown], [directory, unknown]] {
            await agent.apply(DesiredPods(pods: [], warnings: warnings))
        }
        let logged = lines.all.filter { $0.hasPrefix("warning /etc/inplaced") }
        #expect(logged == ["warning \(directory)", "warning \(unknown)", "warning \(directory)"])
        #expect(await agent.health().manifestWarnings == [directory, unknown])
    }

    @Test("a manifest error is logged when it appears and when its file changes, not at each rescan that finds it again")
    func errorsAreLoggedWhenTheyAppearOrTheirFileChanges() async throws {
        let (agent, lines, done) = try await Self.loggingAgent()
        defer { done() }
        let bad = ManifestError(file: "/etc/inplaced/manifests/bad.yaml", document: 0, message: "spec.containers: Required value")
        let other = ManifestError(file: "/etc/inplaced/manifests/other.yaml", document: 0, message: "metadata.name: Required value")
        func whole(_ errors: [ManifestError]) -> DesiredPods { DesiredPods(pods: [], errors: errors, failedFiles: Set(errors.map(\.file))) }
        func changed(_ file: String, _ errors: [ManifestError]) -> DesiredPods {
            var d = DesiredPods(pods: [], errors: errors, failedFiles: Set(errors.map(\.file)))
            d.partialSources = [file]
            return d
        }
        // Rescans that find bad.yaml broken again; other.yaml appears; bad.yaml is written again,
        // still broken; bad.yaml is fixed, then broken again.
        for d in [
            whole([bad]), whole([bad]), whole([bad]), whole([bad, other]), whole([bad, other]), changed(bad.file, [bad, other]),
            whole([other]), whole([bad, other]),
        ] {
            await agent.apply(d)
        }
        let logged = lines.all.filter { $0.hasPrefix("error manifest rejected") }
        #expect(
            logged == [
                "error manifest rejected: \(bad)", "error manifest rejected: \(other)", "error manifest rejected: \(bad)",
                "error manifest rejected: \(bad)",
            ])
        #expect(await agent.health().manifestErrors == [bad, other])
    }
}

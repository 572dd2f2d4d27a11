import Foundation
import Logging
import MockRuntime
import NodeAgent
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
        func log(event: LogEvent) { lines.append("\(event.level) \(event.message)") }
    }

    @Test("a warning carried by every snapshot is logged once; a new one is logged; one that went and came back is logged again")
    func warningsAreLoggedWhenTheyAppear() async throws {
        let dir = NSTemporaryDirectory() + "ipd-warn-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let lines = Lines()
        let logger = Logger(label: "test") { _ in Capture(lines: lines) }
        let store = try StateStore(path: dir + "/state.db")
        defer { try? store.close() }
        let agent = NodeAgent(config: Harness.fastConfig(), runtime: MockRuntime(), store: store, logger: logger)
        try await agent.start()
        defer { Task { await agent.shutdown() } }
        let directory = "/etc/inplaced/manifests/dir.yaml: a directory, not read (manifests are not searched recursively)"
        let unknown = "/etc/inplaced/manifests/web.yaml: unknown field \"spec.foo\""
        for warnings in [[directory], [directory], [directory], [directory, unknown], [unknown], [directory, unknown]] {
            await agent.apply(DesiredPods(pods: [], warnings: warnings))
        }
        let logged = lines.all.filter { $0.hasPrefix("warning /etc/inplaced") }
        #expect(logged == ["warning \(directory)", "warning \(unknown)", "warning \(directory)"])
        #expect(await agent.health().manifestWarnings == [directory, unknown])
    }
}

import ContainerRuntime
import Foundation
import Logging
import MockRuntime
import NodeAgent
import PodAPI
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The manifest directory as the source: watched with inotify (the fallback poll is set to
/// ten minutes here, so only the watch can make these pass).
@Suite(.serialized) struct ManifestDirectoryScenarios {
    /// Writes as an editor does: a temp file, then a rename over the old one.
    func write(_ text: String, to path: String) throws {
        let tmp = (path as NSString).deletingLastPathComponent + "/.tmp-" + UUID().uuidString
        try Data(text.utf8).write(to: URL(fileURLWithPath: tmp))
        guard rename(tmp, path) == 0 else { throw HarnessError("rename \(tmp) -> \(path) failed") }
    }

    @Test func editsDeletionsAndBrokenFilesThroughTheWatchedDirectory() async throws {
        let h = try await Harness()
        defer { Task { await h.stop() } }
        try await h.mock.registry(add: "nginx:1.25")
        try await h.mock.registry(add: "nginx:1.26")
        try await h.mock.registry(add: "busybox:1.36")
        let dir = h.dir.appendingPathComponent("manifests").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try write(Manifests.web(), to: dir + "/web.yaml")
        try write(Manifests.web(gate: false, name: "other"), to: dir + "/other.yaml")
        try Data("not: a pod\n".utf8).write(to: URL(fileURLWithPath: dir + "/README.md"))
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let source = ManifestDirectorySource(directory: dir, pollSeconds: 600, logger: logger)
        let agent = h.agent
        let feeding = Task { await agent.run(source: source) }
        defer {
            source.stop()
            feeding.cancel()
        }

        try await h.waitReady("web")
        try await h.waitReady("other")

        // An edit is picked up by the watch.
        try write(Manifests.web(image: "nginx:1.26"), to: dir + "/web.yaml")
        try await h.wait("edit applied") { () -> Bool? in
            let p = try await h.pod("web")
            return p.container("app")?.image == "nginx:1.26" && p.container("app")?.restartCount == 1 ? true : nil
        }

        // A broken edit is reported and the running pod is kept as it was.
        try write(
            "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers:\n  - name: app\n    image: \"\"\n",
            to: dir + "/web.yaml")
        let health = try await h.wait("error reported") { () -> AgentHealth? in
            let hl = try await h.client.health()
            return hl.manifestErrors.contains { $0.file.hasSuffix("web.yaml") } ? hl : nil
        }
        #expect(health.manifestErrors.contains { $0.message.contains("spec.containers[0].image: Required value") })
        #expect(try await h.pod("web").status?.condition("Ready")?.status == "True")

        // Deleting a file deletes its pod; the other stays.
        try FileManager.default.removeItem(atPath: dir + "/other.yaml")
        try await h.wait("other deleted") { () -> Bool? in
            let names = try await h.client.pods().items.compactMap(\.metadata.name)
            return names == ["web"] ? true : nil
        }
    }

    @Test func twoFilesDefiningOnePodKeepTheFirst() async throws {
        let h = try await Harness()
        defer { Task { await h.stop() } }
        try await h.mock.registry(add: "nginx:1.25")
        try await h.mock.registry(add: "nginx:1.26")
        try await h.mock.registry(add: "busybox:1.36")
        let dir = h.dir.appendingPathComponent("m").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try write(Manifests.web(), to: dir + "/a.yaml")
        try write(Manifests.web(image: "nginx:1.26"), to: dir + "/b.yaml")
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let source = ManifestDirectorySource(directory: dir, pollSeconds: 600, logger: logger)
        let snapshot = source.scan()
        #expect(snapshot.pods.count == 1)
        #expect(snapshot.pods.first?.source.hasSuffix("a.yaml") == true)
        #expect(snapshot.errors.contains { $0.file.hasSuffix("b.yaml") && $0.message.contains("a.yaml") })
        await h.agent.apply(snapshot)
        let p = try await h.waitReady("web")
        #expect(p.container("app")?.image == "nginx:1.25")

        // A newcomer that sorts first does not take over the running pod: it is the one rejected.
        try write(Manifests.web(image: "nginx:1.26"), to: dir + "/0-newcomer.yaml")
        let again = source.scan()
        #expect(again.pods.first?.source.hasSuffix("a.yaml") == true)
        #expect(again.errors.contains { $0.file.hasSuffix("0-newcomer.yaml") && $0.message.contains("a.yaml") })
    }
}

/// A manifest directory that disappears (unmounted, renamed) deletes nothing.
@Suite(.serialized) struct MissingManifestDirectoryScenarios {
    @Test func vanishedDirectoryKeepsRunningPodsAndSaysSo() async throws {
        let h = try await Harness()
        defer { Task { await h.stop() } }
        try await h.mock.registry(add: "nginx:1.25")
        try await h.mock.registry(add: "busybox:1.36")
        let dir = h.dir.appendingPathComponent("gone").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try Data(Manifests.web().utf8).write(to: URL(fileURLWithPath: dir + "/web.yaml"))
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let source = ManifestDirectorySource(directory: dir, pollSeconds: 600, logger: logger)
        let first = source.scan()
        #expect(first.pods.count == 1, "\(first.errors) \(first.warnings)")
        await h.agent.apply(first)
        let before = try await h.waitReady("web")
        try FileManager.default.removeItem(atPath: dir)
        let snapshot = source.scan()
        #expect(!snapshot.complete)
        await h.agent.apply(snapshot)
        let health = try await h.client.health()
        #expect(health.manifestErrors.contains { $0.file == dir && $0.message.contains("does not exist") })
        try await Task.sleep(nanoseconds: 300_000_000)
        let p = try await h.pod("web")
        #expect(p.container("app")?.containerID == before.container("app")?.containerID)
        #expect(p.status?.hostIP == nil || p.status?.hostIPs?.first?.ip == p.status?.hostIP)
        #expect(p.status?.condition("PodReadyToStartContainers")?.status == "True")
    }

    @Test("stop() ends the snapshot stream at once, not at the next rescan (the daemon's SIGTERM took up to 20 s)")
    func stopEndsTheStreamAtOnce() async throws {
        let dir = NSTemporaryDirectory() + "ipd-stop-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let source = ManifestDirectorySource(directory: dir, pollSeconds: 600, logger: logger)
        let ended = Flag()
        let consumer = Task {
            for await _ in source.snapshots() {}
            ended.set()
        }
        defer { consumer.cancel() }
        try await Task.sleep(nanoseconds: 200_000_000)
        #expect(!ended.isSet)
        source.stop()
        var waited = 0
        while !ended.isSet, waited < 100 {
            try await Task.sleep(nanoseconds: 20_000_000)
            waited += 1
        }
        #expect(ended.isSet, "the stream is still open 2 s after stop(); the next rescan is 600 s away")
    }
}

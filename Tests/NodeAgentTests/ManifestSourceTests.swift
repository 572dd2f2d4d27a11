import Foundation
import Logging
import PodAPI
import StateStore
import Testing

@testable import NodeAgent

#if canImport(Glibc)
    import Glibc
#endif

/// The manifest source's incremental parts: inotify events to changes (``InotifyBatch``), the
/// per-file state (``ManifestSet``), partial snapshots through the diff and the merger.
struct InotifyBatchTests {
    typealias E = InotifyBatch.Event

    struct Case: Sendable, CustomTestStringConvertible {
        var events: [E]
        var complete: Set<String> = []
        var writing: Set<String> = []
        var rescan = false
        var gone = false
        var testDescription: String { events.map { "\($0.name)/\($0.mask)" }.joined(separator: ",") }
    }

    static let cases: [Case] = [
        Case(events: [E(mask: UInt32(IN_CLOSE_WRITE), name: "a.yaml")], complete: ["a.yaml"]),
        Case(events: [E(mask: UInt32(IN_MOVED_FROM), name: ".tmp1"), E(mask: UInt32(IN_MOVED_TO), name: "a.yaml")], complete: ["a.yaml"]),
        Case(events: [E(mask: UInt32(IN_CREATE), name: "b.yaml")], writing: ["b.yaml"]),
        Case(events: [E(mask: UInt32(IN_CREATE), name: "b.yaml"), E(mask: UInt32(IN_CLOSE_WRITE), name: "b.yaml")], complete: ["b.yaml"]),
        Case(
            events: [E(mask: UInt32(IN_DELETE), name: "c.json"), E(mask: UInt32(IN_ATTRIB), name: "d.yml")], complete: ["c.json", "d.yml"]),
        Case(events: [E(mask: UInt32(IN_CLOSE_WRITE), name: ".a.yaml.swp"), E(mask: UInt32(IN_CLOSE_WRITE), name: "notes.txt")]),
        Case(events: [E(mask: UInt32(IN_CREATE | IN_ISDIR), name: "sub")], rescan: true),
        Case(events: [E(mask: UInt32(IN_MOVED_TO), name: "..data")], rescan: true),
        Case(events: [E(mask: UInt32(IN_Q_OVERFLOW), name: "")], rescan: true),
        Case(events: [E(mask: UInt32(IN_DELETE_SELF), name: ""), E(mask: UInt32(IN_IGNORED), name: "")], rescan: true, gone: true),
    ]

    @Test(arguments: cases)
    func eventsBecomeChanges(_ c: Case) {
        var batch = InotifyBatch()
        let (changes, watchGone) = batch.take(c.events, now: 100)
        #expect(changes.names == c.complete)
        #expect(Set(batch.writing.keys) == c.writing)
        #expect(changes.rescan == c.rescan)
        #expect(watchGone == c.gone)
    }

    @Test func aFileLeftOpenIsReadOnceItsWaitRunsOut() {
        var batch = InotifyBatch()
        _ = batch.take([E(mask: UInt32(IN_CREATE), name: "link.yaml")], now: 10)
        #expect(batch.pollTimeout(now: 10, cap: 500) == Int32(InotifyBatch.maxSettleSeconds * 1000))
        #expect(batch.expire(now: 10 + InotifyBatch.maxSettleSeconds / 2).names.isEmpty)
        #expect(batch.take([], now: 10 + InotifyBatch.maxSettleSeconds).changes.names == ["link.yaml"])
        #expect(batch.writing.isEmpty)
        #expect(batch.pollTimeout(now: 11, cap: 500) == 500)
    }
}

struct ManifestSetTests {
    static func result(_ file: String, _ names: [String], image: String = "nginx:1.25", error: Bool = false) -> ManifestLoadResult {
        var r = ManifestLoadResult(file: file)
        for (i, name) in names.enumerated() {
            var pod = Pod(
                metadata: ObjectMeta(name: name, namespace: "default"), spec: PodSpec(containers: [Container(name: "app", image: image)]))
            PodDefaulting.apply(to: &pod)
            r.pods.append(AdmittedPod(file: file, document: i, pod: pod, warnings: []))
        }
        if error { r.errors.append(ManifestError(file: file, document: names.count, message: "spec: Required value")) }
        return r
    }

    @Test func oneFileChangesAloneWhenNoOtherFileDefinesItsPods() {
        var set = ManifestSet()
        let ok1 = set.update("/m/a.yaml", with: Self.result("/m/a.yaml", ["web", "db"]))
        #expect(ok1)
        let ok2 = set.update("/m/b.yaml", with: Self.result("/m/b.yaml", ["cache"]))
        #expect(ok2)
        #expect(set.pods(of: ["/m/a.yaml"]).map { $0.pod.metadata.name } == ["web", "db"])
        let ok3 = set.update("/m/a.yaml", with: Self.result("/m/a.yaml", ["web"], image: "nginx:1.26"))
        #expect(ok3)
        #expect(set.pods["default/db"] == nil)
        #expect(set.pods["default/web"]?.pod.spec.containers[0].image == "nginx:1.26")
        #expect(set.allPods.map(\.source) == ["/m/a.yaml", "/m/b.yaml"])
        let ok4 = set.update("/m/b.yaml", with: nil)
        #expect(ok4)
        #expect(set.allPods.map { $0.pod.metadata.name } == ["web"])
        #expect(set.owners["default/cache"] == nil)
    }

    @Test func aFileThatFailsKeepsItsPodsAndNoOtherFileTakesThem() {
        var set = ManifestSet()
        let ok5 = set.update("/m/a.yaml", with: Self.result("/m/a.yaml", ["web", "db"]))
        #expect(ok5)
        let ok6 = set.update("/m/a.yaml", with: Self.result("/m/a.yaml", ["web"], error: true))
        #expect(ok6)
        #expect(set.failedFiles == ["/m/a.yaml"])
        #expect(set.errors.map(\.file) == ["/m/a.yaml"])
        #expect(set.owners["default/db"] == "/m/a.yaml")
        // Another file defining db is a conflict: settled over the whole directory.
        let ok7 = set.update("/m/b.yaml", with: Self.result("/m/b.yaml", ["db"]))
        #expect(!ok7)
        #expect(set.files["/m/b.yaml"] == nil)
        let ok8 = set.update("/m/a.yaml", with: Self.result("/m/a.yaml", ["web"]))
        #expect(ok8)
        #expect(set.failedFiles.isEmpty)
        #expect(set.owners["default/db"] == nil)
    }

    @Test func aWholeReadSettlesConflictsAndKeepsTheFailedFilesOwners() {
        var set = ManifestSet()
        let ok9 = set.update("/m/b.yaml", with: Self.result("/m/b.yaml", ["web"]))
        #expect(ok9)
        let a = Self.result("/m/a.yaml", ["web"])
        var dir = DirectoryLoadResult(
            directory: "/m", files: [a, Self.result("/m/b.yaml", ["web"])], pods: [], errors: [], warnings: [], skipped: [])
        dir.pods = [Self.result("/m/b.yaml", ["web"]).pods[0]]
        dir.errors = [ManifestError(file: "/m/a.yaml", document: 0, message: "conflict")]
        set.resolve(dir)
        #expect(set.pods["default/web"]?.source == "/m/b.yaml")
        #expect(set.failedFiles == ["/m/a.yaml"])
        // A change of either file touches the conflict.
        let ok10 = set.update("/m/a.yaml", with: Self.result("/m/a.yaml", ["web"], image: "nginx:1.26"))
        #expect(!ok10)
    }
}

struct PartialSnapshotTests {
    @Test func aPartialSnapshotComparesAndRemovesOnlyItsOwnFilesPods() {
        let known = AdmissionTests.known([
            AdmissionTests.entry("a1", source: "a.yaml"), AdmissionTests.entry("a2", source: "a.yaml"),
            AdmissionTests.entry("b1", source: "b.yaml"),
        ])
        var desired = DesiredPods(pods: [AdmissionTests.entry("a1", image: "nginx:1.26", source: "a.yaml")])
        desired.partialSources = ["a.yaml"]
        let diff = DesiredPodsDiff.compute(desired, known: known)
        #expect(diff.items.map(\.change) == [.changed])
        #expect(diff.removed == ["default/a2"])
        // A file that failed keeps its pods, partial or not.
        desired.failedFiles = ["a.yaml"]
        #expect(DesiredPodsDiff.compute(desired, known: known).removed.isEmpty)
        // The same snapshot, whole, would delete b1 too.
        desired.failedFiles = []
        desired.partialSources = nil
        #expect(DesiredPodsDiff.compute(desired, known: known).removed == ["default/a2", "default/b1"])
    }

    @Test func knownPodsKeepTheirIndexesThroughChanges() {
        var known = AdmissionTests.known([AdmissionTests.entry("web", source: "a.yaml")])
        #expect(known.keys(of: "a.yaml") == ["default/web"])
        var moved = known["default/web"]!
        moved.record.source = "b.yaml"
        known["default/web"] = moved
        #expect(known.keys(of: "a.yaml").isEmpty)
        #expect(known.keys(of: "b.yaml") == ["default/web"])
        #expect(known.item(uid: "uid-0")?.record.source == "b.yaml")
        known["default/web"] = nil
        #expect(known.item(uid: "uid-0") == nil)
        #expect(known.count == 0)
    }

    @Test func theMergerAccumulatesPartialsUntilTheyAreTaken() async {
        let merger = SnapshotMerger(count: 2)
        await merger.post(
            0, DesiredPods(pods: [AdmissionTests.entry("a1", source: "a.yaml"), AdmissionTests.entry("b1", source: "b.yaml")]))
        // Until the second source answers, the merged snapshot is incomplete.
        let first = await merger.take()
        #expect(first?.complete == false)
        #expect(first?.partialSources == nil)
        #expect(first?.pods.count == 2)
        await merger.post(1, DesiredPods(pods: [AdmissionTests.entry("api1", source: "api")]))
        var p1 = DesiredPods(pods: [AdmissionTests.entry("a1", image: "nginx:1.26", source: "a.yaml")])
        p1.partialSources = ["a.yaml"]
        await merger.post(0, p1)
        var p2 = DesiredPods(pods: [])
        p2.partialSources = ["b.yaml"]
        await merger.post(0, p2)
        // Both partials since the last take, in one, and the whole snapshot the second source
        // posted in between makes it whole.
        let second = await merger.take()
        #expect(second?.complete == true)
        #expect(second?.partialSources == nil)
        #expect(second?.pods.map { $0.pod.metadata.name } == ["a1", "api1"])
        await merger.post(0, p2)
        await merger.post(0, p1)
        let third = await merger.take()
        #expect(third?.partialSources == ["a.yaml", "b.yaml"])
        #expect(third?.pods.map { $0.pod.metadata.name } == ["a1"])
        #expect(third?.pods.first?.pod.spec.containers[0].image == "nginx:1.26")
    }
}

/// The source over a real directory, driven by the changes it is told of (the watcher's part is
/// ``InotifyBatchTests``), then once through inotify itself.
struct ManifestDirectorySourceTests {
    static func pod(_ name: String, image: String = "nginx:1.25") -> String {
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: \(name)\nspec:\n  containers:\n  - name: app\n    image: \(image)\n"
    }

    static func directory() throws -> String {
        let dir = NSTemporaryDirectory() + "manifest-source-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    static func write(_ text: String, _ path: String) throws {
        let tmp = (path as NSString).deletingLastPathComponent + "/.tmp-" + UUID().uuidString
        try Data(text.utf8).write(to: URL(fileURLWithPath: tmp))
        guard rename(tmp, path) == 0 else { throw CocoaError(.fileWriteUnknown) }
    }

    @Test func anEditYieldsOnlyTheEditedFileAndAConflictYieldsEverything() throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for i in 0..<5 { try Self.write(Self.pod("p\(i)"), "\(dir)/p\(i).yaml") }
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let source = ManifestDirectorySource(directory: dir, pollSeconds: 600, logger: logger)
        let first = try #require(source.next(DirectoryChanges(rescan: true)))
        #expect(first.partialSources == nil)
        #expect(first.pods.count == 5)

        try Self.write(Self.pod("p3", image: "nginx:1.26"), "\(dir)/p3.yaml")
        let edit = try #require(source.next(DirectoryChanges(names: ["p3.yaml"])))
        #expect(edit.partialSources == ["\(dir)/p3.yaml"])
        #expect(edit.pods.map { $0.pod.spec.containers[0].image } == ["nginx:1.26"])
        // Named again with nothing changed: no snapshot at all.
        #expect(source.next(DirectoryChanges(names: ["p3.yaml"])) == nil)

        // A rename of one file to another is one partial snapshot of both.
        #expect(rename("\(dir)/p4.yaml", "\(dir)/q4.yaml") == 0)
        let moved = try #require(source.next(DirectoryChanges(names: ["p4.yaml", "q4.yaml"])))
        #expect(moved.partialSources == ["\(dir)/p4.yaml", "\(dir)/q4.yaml"])
        #expect(moved.pods.map(\.source) == ["\(dir)/q4.yaml"])

        // A broken edit: the file fails, its error is whole, its pod stays out of the partial.
        try Self.write("apiVersion: v1\nkind: Pod\nmetadata: {name: p1}\nspec: {}\n", "\(dir)/p1.yaml")
        let broken = try #require(source.next(DirectoryChanges(names: ["p1.yaml"])))
        #expect(broken.failedFiles == ["\(dir)/p1.yaml"])
        #expect(broken.pods.isEmpty)
        #expect(broken.errors.contains { $0.file == "\(dir)/p1.yaml" })

        // A new file defining a pod another file owns: the whole directory, the newcomer rejected.
        try Self.write(Self.pod("p0", image: "nginx:1.27"), "\(dir)/0-new.yaml")
        let conflict = try #require(source.next(DirectoryChanges(names: ["0-new.yaml"])))
        #expect(conflict.partialSources == nil)
        #expect(conflict.pods.first { $0.pod.metadata.name == "p0" }?.source == "\(dir)/p0.yaml")
        #expect(conflict.errors.contains { $0.file == "\(dir)/0-new.yaml" && $0.message.contains("p0.yaml") })

        // A rescan finds what no event named, and only that.
        try Data(Self.pod("p2", image: "nginx:1.28").utf8).write(to: URL(fileURLWithPath: "\(dir)/p2.yaml"))
        let rescan = try #require(source.next(DirectoryChanges(rescan: true)))
        #expect(rescan.partialSources == ["\(dir)/p2.yaml"])
        #expect(source.next(DirectoryChanges(rescan: true)) == nil)
    }

    @Test func theWatchedStreamIsPartialAndLosesNoEdit() async throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for i in 0..<3 { try Self.write(Self.pod("p\(i)"), "\(dir)/p\(i).yaml") }
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let source = ManifestDirectorySource(directory: dir, pollSeconds: 600, logger: logger)
        defer { source.stop() }
        var it = source.snapshots().makeAsyncIterator()
        let first = try #require(await it.next())
        #expect(first.partialSources == nil && first.pods.count == 3)
        // Three edits while nobody takes a snapshot: the next one holds all three.
        for i in 0..<3 { try Self.write(Self.pod("p\(i)", image: "nginx:1.26"), "\(dir)/p\(i).yaml") }
        try await Task.sleep(nanoseconds: 100_000_000)
        var images: [String: String] = [:]
        while images.count < 3 {
            let s = try #require(await it.next())
            #expect(s.partialSources != nil)
            for e in s.pods { images[e.pod.metadata.name ?? ""] = e.pod.spec.containers[0].image }
        }
        #expect(images == ["p0": "nginx:1.26", "p1": "nginx:1.26", "p2": "nginx:1.26"])
    }
}

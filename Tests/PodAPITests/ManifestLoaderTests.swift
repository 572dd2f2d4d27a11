import Foundation
import Testing

@testable import PodAPI

#if canImport(Glibc)
    import Glibc
#endif

@Suite struct ManifestLoaderTests {
    @Test func badDocumentRejectsOnlyItself() {
        let text = podYAML(name: "one") + "---\n" + podYAML(name: "two", image: "\"\"") + "---\n" + podYAML(name: "three")
        let r = load(text, name: "multi.yaml")
        #expect(r.pods.map(\.pod.metadata.name) == ["one", "three"])
        #expect(r.pods.map(\.document) == [0, 2])
        #expect(r.errors == [ManifestError(file: "multi.yaml", document: 1, message: "spec.containers[0].image: Required value")])
    }

    @Test func syntaxErrorKeepsEarlierDocumentsOnly() {
        let text = podYAML(name: "one") + "---\n" + podYAML(name: "two") + "  bad: [\n---\n" + podYAML(name: "three")
        let r = load(text)
        #expect(r.pods.map(\.pod.metadata.name) == ["one"])
        #expect(r.errors.count == 1)
        #expect(r.errors.first?.document == 1)
        #expect(r.errors.first?.message.hasPrefix("yaml: line ") == true)
    }

    @Test func duplicateInsideOneFileKeepsTheFirst() {
        let r = load(podYAML(name: "same") + "---\n" + podYAML(name: "same", namespace: "default"), name: "d.yaml")
        #expect(r.pods.count == 1)
        #expect(r.pods.first?.document == 0)
        #expect(
            r.errors.map(\.message) == [
                "metadata.name: Duplicate value: \"default/same\": pod default/same is already defined in d.yaml (document 0), whose definition is kept (the one running, else the first in file name order)"
            ])
        #expect(r.errors.first?.document == 1)
        // The same name in another namespace is another pod.
        #expect(load(podYAML(name: "same") + "---\n" + podYAML(name: "same", namespace: "prod")).pods.count == 2)
    }

    @Test func emptyInputsYieldNoPodAndNoError() {
        for text in ["", "---\n", "# just a comment\n", "\n\n", "---\n---\n"] {
            let r = load(text)
            #expect(r.pods.isEmpty && r.errors.isEmpty, "\(text.debugDescription)")
            #expect(r.warnings.count == 1)
        }
        let json = load("  \n", name: "e.json")
        #expect(json.pods.isEmpty && json.errors.isEmpty && json.warnings.count == 1)
    }

    @Test func nonPodDocumentsAreRejected() {
        #expect(
            load("# Heading\n\nSome *markdown* text.\n", name: "README.yaml").messages == [
                #"Object 'Kind' is missing in '"Some *markdown* text."'"#
            ])
        let list = load("- a\n- b\n")
        #expect(list.messages == [#"Object 'Kind' is missing in '["a","b"]'"#])
    }

    @Test func unreadableAndOversizedFiles() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        var limits = ManifestLimits.default
        limits.maxFileBytes = 64
        try dir.write("big.yaml", podYAML())
        let big = ManifestLoader.load(file: dir.path + "/big.yaml", limits: limits)
        #expect(big.pods.isEmpty)
        #expect(big.errors.count == 1)
        #expect(big.errors.first?.document == nil)
        #expect(big.errors.first?.message.contains("larger than the 64-byte limit") == true)
        let missing = ManifestLoader.load(file: dir.path + "/nope.yaml")
        #expect(missing.errors.first?.message.hasPrefix("cannot read file") == true)
        let bytes = ManifestLoader.load(data: Array(repeating: 0x20, count: 65), fileName: "x.yaml", limits: limits)
        #expect(bytes.errors.first?.message.contains("larger than") == true)
    }

    @Test func invalidUTF8IsAFileError() {
        let r = ManifestLoader.load(data: Array(podYAML().utf8) + [0xFF, 0x0A], fileName: "bad.yaml")
        #expect(r.pods.isEmpty)
        #expect(r.errors.count == 1)
        #expect(r.errors.first?.document == nil)
        #expect(r.errors.first?.message.hasPrefix("yaml: line 9: invalid leading UTF-8 octet") == true)
    }

    @Test func directoryReadsOnlyManifestsInNameOrderAndSettlesConflicts() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.write("b.yaml", podYAML(name: "web", image: "nginx:2"))
        try dir.write("a.yml", podYAML(name: "web", image: "nginx:1"))
        try dir.write(
            "c.json", #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"api"},"spec":{"containers":[{"name":"a","image":"api:1"}]}}"#)
        try dir.write("d.YAML", podYAML(name: "upper"))
        try dir.write(".hidden.yaml", podYAML(name: "hidden"))
        try dir.write("notes.txt", "not a manifest")
        try dir.write("e.yaml.swp", "junk")
        try dir.write("f.yaml", "key: [unclosed\n")
        try FileManager.default.createDirectory(atPath: dir.path + "/sub.yaml", withIntermediateDirectories: false)
        try dir.write("sub.yaml/inner.yaml", podYAML(name: "inner"))

        let r = ManifestLoader.loadDirectory(dir.path)
        #expect(r.pods.map(\.key) == ["default/web", "default/api", "default/upper"])
        #expect(r.pods.first?.pod.spec.containers.first?.image == "nginx:1")
        #expect(r.pods.first?.file == dir.path + "/a.yml")
        #expect(r.files.map { ($0.file as NSString).lastPathComponent } == ["a.yml", "b.yaml", "c.json", "d.YAML", "f.yaml"])
        #expect(r.skipped == [".hidden.yaml", "e.yaml.swp", "notes.txt", "sub.yaml"])
        let conflict = try #require(r.errors.first { $0.file.hasSuffix("b.yaml") })
        #expect(conflict.document == 0)
        #expect(conflict.message.hasPrefix("metadata.name: Duplicate value: \"default/web\""))
        #expect(conflict.message.contains(dir.path + "/a.yml"))
        #expect(r.errors.contains { $0.file.hasSuffix("f.yaml") && $0.message.hasPrefix("yaml: line 2") })
        #expect(r.errors.count == 2)
    }

    @Test func defaultSizeCapIsFourMebibytes() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let padding = "# " + String(repeating: "x", count: 1000) + "\n"
        try dir.write("huge.yaml", podYAML() + String(repeating: padding, count: 4300))
        try dir.write("ok.yaml", podYAML(name: "ok"))
        let r = ManifestLoader.loadDirectory(dir.path)
        #expect(r.pods.map(\.key) == ["default/ok"])
        #expect(r.errors.count == 1)
        #expect(r.errors.first?.message.contains("larger than the 4194304-byte limit") == true)
    }

    @Test func specialFilesAreNotOpened() throws {
        #if canImport(Glibc)
            let dir = try TempDirectory()
            defer { dir.remove() }
            #expect(mkfifo(dir.path + "/pipe.yaml", 0o600) == 0)
            let r = ManifestLoader.load(file: dir.path + "/pipe.yaml")
            #expect(r.errors.first?.message == "not a regular file (named pipe); not read")
        #endif
    }

    @Test func theReaderFollowsLinksAndNamesWhatItRefuses() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.write("real.yaml", podYAML(name: "linked"))
        try FileManager.default.createSymbolicLink(atPath: dir.path + "/link.yaml", withDestinationPath: dir.path + "/real.yaml")
        #expect(ManifestLoader.load(file: dir.path + "/link.yaml").pods.map(\.pod.metadata.name) == ["linked"])
        try FileManager.default.createDirectory(atPath: dir.path + "/sub.yaml", withIntermediateDirectories: false)
        #expect(ManifestLoader.load(file: dir.path + "/sub.yaml").errors.map(\.message) == ["not a regular file (directory); not read"])
        #expect(
            ManifestLoader.load(file: dir.path + "/nope.yaml").errors.map(\.message) == ["cannot read file: No such file or directory"])
        try FileManager.default.createSymbolicLink(atPath: dir.path + "/dangling.yaml", withDestinationPath: dir.path + "/gone.yaml")
        #expect(
            ManifestLoader.load(file: dir.path + "/dangling.yaml").errors.map(\.message) == [
                "cannot read file: No such file or directory"
            ])
        // Exactly at the limit is read; one byte more is not.
        var limits = ManifestLimits.default
        let text = podYAML(name: "exact")
        limits.maxFileBytes = text.utf8.count
        try dir.write("exact.yaml", text)
        #expect(ManifestLoader.load(file: dir.path + "/exact.yaml", limits: limits).pods.count == 1)
        limits.maxFileBytes -= 1
        #expect(ManifestLoader.load(file: dir.path + "/exact.yaml", limits: limits).pods.isEmpty)
        #expect(ManifestLoader.load(file: "/dev/null").errors.map(\.message) == ["not a regular file (character device); not read"])
    }

    @Test func deepOpaqueContentDecodes() throws {
        let nested = String(repeating: "{a: ", count: 180) + "1" + String(repeating: "}", count: 180)
        let yaml =
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: deep\n  managedFields:\n  - manager: m\n    fieldsV1: \(nested)\nspec:\n  containers: [{name: a, image: busybox:1}]\n"
        let r = load(yaml)
        #expect(r.errors.isEmpty, "\(r.errors)")
        #expect(r.pods.count == 1)
    }

    /// A symbolic link that loops or points nowhere is an error naming the link, not a file
    /// taken for removed during the scan (it was silently ignored before).
    @Test func symlinkLoopAndDanglingLinkAreErrors() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.write("ok.yaml", podYAML(name: "ok"))
        #expect(symlink(dir.path + "/loop-b.yaml", dir.path + "/loop-a.yaml") == 0)
        #expect(symlink(dir.path + "/loop-a.yaml", dir.path + "/loop-b.yaml") == 0)
        #expect(symlink(dir.path + "/nowhere.yaml.gone", dir.path + "/dangling.yaml") == 0)
        let r = ManifestLoader.loadDirectory(dir.path)
        #expect(r.pods.map(\.pod.metadata.name) == ["ok"])
        let loop = r.errors.filter { $0.file.hasSuffix("/loop-a.yaml") || $0.file.hasSuffix("/loop-b.yaml") }
        #expect(loop.count == 2)
        #expect(loop.allSatisfy { $0.message.contains("Too many levels of symbolic links") })
        #expect(r.errors.contains { $0.file.hasSuffix("/dangling.yaml") && $0.message.contains("No such file or directory") })
        #expect(!ManifestLoader.entryExists(dir.path + "/never-there.yaml"))
        #expect(ManifestLoader.entryExists(dir.path + "/dangling.yaml"))
    }

    /// `rm` racing the scan: the file is listed, then gone when read. Not an error (its removal
    /// rescans); the other files load as usual.
    @Test func fileRemovedBetweenListingAndReadIsNotAnError() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try dir.write("a.yaml", podYAML(name: "gone"))
        try dir.write("b.yaml", podYAML(name: "kept"))
        let r = ManifestLoader.loadDirectory(
            dir.path,
            loadFile: { path in
                if path.hasSuffix("a.yaml") { try? FileManager.default.removeItem(atPath: path) }
                return ManifestLoader.load(file: path)
            })
        #expect(r.errors.isEmpty, "\(r.errors)")
        #expect(r.pods.map(\.key) == ["default/kept"])
        #expect(r.files.map { ($0.file as NSString).lastPathComponent } == ["b.yaml"])
    }

    @Test func missingDirectoryIsAnError() {
        let r = ManifestLoader.loadDirectory("/nonexistent/manifests")
        #expect(r.pods.isEmpty)
        #expect(r.errors.first?.message.hasPrefix("cannot read manifest directory") == true)
    }

    @Test func manifestNames() {
        #expect(ManifestLoader.isManifestName("a.yaml"))
        #expect(ManifestLoader.isManifestName("a.yml"))
        #expect(ManifestLoader.isManifestName("a.json"))
        #expect(!ManifestLoader.isManifestName(".a.yaml"))
        #expect(!ManifestLoader.isManifestName("EXPECTED.md"))
        #expect(!ManifestLoader.isManifestName("yaml"))
    }

    @Test func randomBytesNeverCrash() {
        var rng = SeededGenerator(seed: 0x5eed)
        let alphabet = Array("apiVersion: v1\nkind: Pod\n-[]{}:,&*!|>'\"#?%@`\t ~0123456789.e+".utf8)
        for i in 0..<400 {
            let count = Int.random(in: 0..<300, using: &rng)
            let bytes: [UInt8] = (0..<count).map { _ in
                i % 2 == 0 ? UInt8.random(in: 0...255, using: &rng) : alphabet[Int.random(in: 0..<alphabet.count, using: &rng)]
            }
            for name in ["f.yaml", "f.json"] {
                let r = ManifestLoader.load(data: bytes, fileName: name)
                // Every input is accounted for: a pod, an error or a warning; admitted pods are valid.
                #expect(r.pods.count + r.errors.count + r.warnings.count > 0)
                for p in r.pods { #expect(PodValidation.validate(p.pod).isEmpty) }
            }
        }
    }

    @Test func mutatedValidManifestsNeverCrash() {
        var rng = SeededGenerator(seed: 42)
        let seed = Array((podYAML(spec: "  volumes: [{name: v, emptyDir: {}}]\n") + "---\n" + podYAML(name: "b")).utf8)
        var admitted = 0
        for _ in 0..<300 {
            var bytes = seed
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                let at = Int.random(in: 0..<bytes.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: bytes[at] = UInt8.random(in: 0...127, using: &rng)
                case 1: bytes.remove(at: at)
                default: bytes.insert(UInt8.random(in: 0...255, using: &rng), at: at)
                }
            }
            let r = ManifestLoader.load(data: bytes, fileName: "m.yaml")
            admitted += r.pods.count
            for p in r.pods { #expect(PodValidation.validate(p.pod).isEmpty) }
        }
        #expect(admitted > 0)
    }
}

/// A small deterministic generator (SplitMix64) so fuzz cases are reproducible.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

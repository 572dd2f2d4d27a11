import Foundation

@testable import PodAPI

/// The project's own manifest fixtures, in `Fixtures/` beside this file: `edge/` (bad and
/// borderline manifests, see EdgeFixtureTests) and `pods/` (valid pods of many shapes, see
/// PodFixtureTests). Found from this file's own path, so they are read the same from a clone,
/// from CI, or from a package that links this test directory in.
enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path

    static var edge: String { directory + "/edge" }
    static var pods: String { directory + "/pods" }

    /// Every entry of `dir` (not only manifests), sorted as the loader sorts them (bytes).
    static func entries(in dir: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [])
            .sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }
}

/// The optional corpus tier: a directory of third-party manifests (`corpus/edge`, with an
/// `EXPECTED.md`, and `corpus/public`) kept outside the repository, in `$INPLACED_SHARED_DIR` or
/// else in `shared/` beside the clone (`<repo>/../shared`). The repository's own tests never need
/// it (they use `Fixtures`); when it is there, EdgeCorpusTests and PublicCorpusTests run over it
/// too, and when it is not they are skipped, unless `INPLACED_REQUIRE_CORPUS=1` (as CI sets it)
/// makes its absence a failure (CorpusPresenceTests).
enum Corpus {
    static var sharedDirectory: String {
        if let env = ProcessInfo.processInfo.environment["INPLACED_SHARED_DIR"], !env.isEmpty { return env }
        let repo = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // PodAPITests
            .deletingLastPathComponent()  // Tests
            .deletingLastPathComponent()  // repository
        return repo.deletingLastPathComponent().appendingPathComponent("shared").path
    }

    static var edge: String { sharedDirectory + "/corpus/edge" }
    static var publicDirectory: String { sharedDirectory + "/corpus/public" }

    /// Whether `dir` exists and is a directory.
    static func isDirectory(_ dir: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: dir, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// Whether the corpus tier can run: both corpus directories exist.
    static var isPresent: Bool { isDirectory(edge) && isDirectory(publicDirectory) }

    /// `INPLACED_REQUIRE_CORPUS=1`: a missing corpus fails the run instead of skipping its tests.
    static var isRequired: Bool { ProcessInfo.processInfo.environment["INPLACED_REQUIRE_CORPUS"] == "1" }

    /// Manifest file names (yaml, yml, json) in `dir`, sorted.
    static func manifestNames(in dir: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [])
            .filter { ManifestLoader.isManifestName($0) }
            .sorted()
    }
}

/// Loads `text` as if it were a file named `name`.
func load(_ text: String, name: String = "test.yaml") -> ManifestLoadResult {
    ManifestLoader.load(data: Array(text.utf8), fileName: name)
}

/// A valid single-container pod manifest, with optional extra lines for `spec` (indented 2).
func podYAML(name: String = "web", namespace: String? = nil, image: String = "nginx:1.25", spec extra: String = "") -> String {
    var s = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: \(name)\n"
    if let ns = namespace { s += "  namespace: \(ns)\n" }
    s += "spec:\n  containers:\n  - name: app\n    image: \(image)\n"
    s += extra
    return s
}

/// Decodes, defaults and returns a pod from YAML; nil when it does not decode.
func defaultedPod(_ yaml: String) -> Pod? {
    let parsed = YAMLManifestParser.parse(yaml)
    guard let doc = parsed.documents.first ?? nil, var pod = PodDecoding.decode(doc).pod else { return nil }
    PodDefaulting.apply(to: &pod)
    return pod
}

/// All messages of a load result's errors.
extension ManifestLoadResult {
    var messages: [String] { errors.map(\.message) }
}

/// A temporary directory removed by `remove()`.
struct TempDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "podapi-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func write(_ name: String, _ text: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path + "/" + name))
    }

    func write(_ name: String, bytes: [UInt8]) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path + "/" + name))
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

import Foundation
@testable import PodAPI

/// Where the shared corpus lives: `$INPLACED_SHARED_DIR`, else `<repo>/../shared` found from this
/// file's path (the repository and `shared/` are siblings, locally and in CI).
enum Corpus {
    static var sharedDirectory: String {
        if let env = ProcessInfo.processInfo.environment["INPLACED_SHARED_DIR"], !env.isEmpty { return env }
        let repo = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent() // PodAPITests
            .deletingLastPathComponent() // Tests
            .deletingLastPathComponent() // repository
        return repo.deletingLastPathComponent().appendingPathComponent("shared").path
    }

    static var edge: String { sharedDirectory + "/corpus/edge" }
    static var publicDirectory: String { sharedDirectory + "/corpus/public" }

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

import PodAPI

/// The manifest directory's pods as last read, file by file: each file's load result, which file
/// owns each `namespace/name`, and the errors and warnings to show. It changes one file at a time
/// (``update(_:with:)``) in time proportional to that file, as long as no other file defines the
/// same pods; a change that touches a conflict between files asks for ``resolve(_:)`` over all of
/// them instead, which settles conflicts as ``ManifestLoader/loadDirectory(_:limits:loadFile:currentOwner:)``
/// does (the file that defines a pod now keeps it; else the first in name order).
///
/// A value type with no I/O: the source reads files, this decides what they mean.
struct ManifestSet {
    /// Each manifest file's own load result, by path.
    private(set) var files: [String: ManifestLoadResult] = [:]
    /// The admitted pods, by `namespace/name`.
    private(set) var pods: [String: DesiredPods.Entry] = [:]
    /// The file that owns each `namespace/name`: the one whose pod is admitted, or a file that
    /// failed to load and defined the pod before (it keeps it until it loads again).
    private(set) var owners: [String: String] = [:] {
        didSet { ownedBy = nil }
    }
    /// `owners` inverted, by file; rebuilt when `owners` is replaced wholesale.
    private var ownedBy: [String: Set<String>]? = [:]
    /// The files that define each `namespace/name` (more than one: a conflict).
    private var definers: [String: Set<String>] = [:]
    /// Errors by file: its own, plus one per pod it lost to another file.
    private var errorsByFile: [String: [ManifestError]] = [:]
    private var warningsByFile: [String: [ManifestWarning]] = [:]
    /// Errors and warnings of the directory itself (a subdirectory, ...), from the last resolve.
    private var directoryErrors: [ManifestError] = []
    private var directoryWarnings: [ManifestWarning] = []

    /// Files with at least one error (their pods are kept as they were).
    var failedFiles: Set<String> { Set(errorsByFile.keys) }

    /// Every error, file by file in name order.
    var errors: [ManifestError] {
        directoryErrors + errorsByFile.keys.sorted(by: Self.nameOrder).flatMap { errorsByFile[$0] ?? [] }
    }

    /// Every warning, file by file in name order.
    var warnings: [ManifestWarning] {
        directoryWarnings + warningsByFile.keys.sorted(by: Self.nameOrder).flatMap { warningsByFile[$0] ?? [] }
    }

    /// Byte order of file names, as the directory is read.
    static func nameOrder(_ a: String, _ b: String) -> Bool { Array(a.utf8).lexicographicallyPrecedes(Array(b.utf8)) }

    /// Takes file `path`'s new load result (nil: the file is gone or no longer a manifest).
    /// - Returns: false, with nothing changed, when the change touches a pod another file
    ///   defines or owns: then the caller must ``resolve(_:)`` the whole directory.
    mutating func update(_ path: String, with result: ManifestLoadResult?) -> Bool {
        let oldKeys = Set(files[path]?.pods.map(\.key) ?? [])
        let newKeys = Set(result?.pods.map(\.key) ?? [])
        for key in oldKeys.union(newKeys) {
            if let d = definers[key], !d.isSubset(of: [path]) { return false }
            if let o = owners[key], o != path { return false }
        }
        let failed = !(result?.errors.isEmpty ?? true)
        for key in oldKeys.subtracting(newKeys) {
            definers[key] = nil
            pods[key] = nil
        }
        // A failed file keeps the pods it owned; one that loads cleanly (or is gone) owns
        // exactly what it defines.
        if !failed {
            for key in owned(by: path).subtracting(newKeys) { setOwner(key, nil) }
        }
        for admitted in result?.pods ?? [] {
            definers[admitted.key] = [path]
            setOwner(admitted.key, path)
            pods[admitted.key] = DesiredPods.Entry(pod: admitted.pod, source: path)
        }
        files[path] = result
        errorsByFile[path] = failed ? result?.errors : nil
        warningsByFile[path] = (result?.warnings.isEmpty ?? true) ? nil : result?.warnings
        return true
    }

    private mutating func owned(by path: String) -> Set<String> {
        if ownedBy == nil {
            var index: [String: Set<String>] = [:]
            for (key, file) in owners { index[file, default: []].insert(key) }
            ownedBy = index
        }
        return ownedBy?[path] ?? []
    }

    /// Sets one owner, keeping the inverted index in step (no rebuild).
    private mutating func setOwner(_ key: String, _ path: String?) {
        var index = ownedBy
        ownedBy = nil
        if let old = owners[key] { index?[old]?.remove(key) }
        if let path { index?[path, default: []].insert(key) }
        owners[key] = path
        ownedBy = index
    }

    /// Replaces everything with a whole directory read (its files' results and the conflicts
    /// settled between them). A file that failed keeps the pods it owned before.
    mutating func resolve(_ result: DirectoryLoadResult) {
        let previousOwners = owners
        files = Dictionary(result.files.map { ($0.file, $0) }, uniquingKeysWith: { a, _ in a })
        definers = [:]
        for file in result.files {
            for admitted in file.pods { definers[admitted.key, default: []].insert(file.file) }
        }
        pods = Dictionary(
            result.pods.map { ($0.key, DesiredPods.Entry(pod: $0.pod, source: $0.file)) }, uniquingKeysWith: { a, _ in a })
        errorsByFile = Dictionary(grouping: result.errors.filter { files[$0.file] != nil }, by: \.file)
        directoryErrors = result.errors.filter { files[$0.file] == nil }
        warningsByFile = Dictionary(grouping: result.warnings.filter { files[$0.file] != nil }, by: \.file)
        directoryWarnings = result.warnings.filter { files[$0.file] == nil }
        let failed = Set(errorsByFile.keys)
        owners = previousOwners.filter { failed.contains($0.value) && files[$0.value] != nil }
        for (key, entry) in pods { owners[key] = entry.source }
    }

    /// The admitted pods of `paths`, in file then document order.
    func pods(of paths: some Sequence<String>) -> [DesiredPods.Entry] {
        paths.sorted(by: Self.nameOrder).flatMap { path in
            (files[path]?.pods ?? []).compactMap { admitted in
                pods[admitted.key].flatMap { $0.source == path ? $0 : nil }
            }
        }
    }

    /// Every admitted pod, in file then document order.
    var allPods: [DesiredPods.Entry] { pods(of: files.keys) }
}

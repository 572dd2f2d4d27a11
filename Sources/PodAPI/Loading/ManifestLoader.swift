import Foundation

/// Loads Pod manifests (YAML or JSON, one or more documents per file) from files or a directory:
/// parse strictly, decode against the core/v1 schema, default and validate as the API server
/// does. Never throws and never crashes on any input; every problem becomes a `ManifestError`
/// that names the file, the document and the field.
///
/// Decisions:
/// - A pod is admitted whole or not at all: a document with any error yields no pod. Other
///   documents of the same file are unaffected, so one bad document rejects only itself.
/// - A syntax error stops the parser: the documents before it are kept, the one holding the
///   error is rejected (its index is in the error), and nothing after it is read, since the
///   parser cannot know where the next document starts. A file-level failure (unreadable,
///   too large, not UTF-8) rejects the whole file (`document` nil).
/// - An empty file, a file of only `---` or only comments yields 0 pods and a warning, not an
///   error. Empty documents next to others are skipped silently.
/// - Two documents defining one namespace/name: the first (in file name order, then document
///   order) keeps it; each later one is rejected with an error naming both places.
/// - A pod with only `metadata.generateName` gets a stable name: the prefix plus 5 characters
///   derived from the file name and document index (the API server would pick them at random,
///   which would make every reload a new pod).
public enum ManifestLoader {
    /// File name extensions read as manifests (compared case-insensitively); `.json` is parsed
    /// as strict JSON, the others as YAML.
    public static let manifestExtensions = ["yaml", "yml", "json"]

    /// Whether `name` is read by `loadDirectory`: not a dotfile, and with a manifest extension.
    public static func isManifestName(_ name: String) -> Bool {
        guard !name.hasPrefix("."), let dot = name.lastIndex(of: ".") else { return false }
        return manifestExtensions.contains(name[name.index(after: dot)...].lowercased())
    }

    /// Reads and loads one file. A file larger than `limits.maxFileBytes` is rejected unread.
    public static func load(file path: String, limits: ManifestLimits = .default) -> ManifestLoadResult {
        switch readFile(path, limits: limits) {
        case .success(let bytes): return load(data: bytes, fileName: path, limits: limits)
        case .failure(let e): return ManifestLoadResult(file: path, errors: [e])
        }
    }

    /// Loads manifest bytes; `fileName` names them in errors and picks the parser by extension
    /// (`.json` strict JSON, anything else YAML).
    public static func load(data: Data, fileName: String, limits: ManifestLimits = .default) -> ManifestLoadResult {
        load(data: [UInt8](data), fileName: fileName, limits: limits)
    }

    /// Loads manifest bytes; see `load(data:fileName:limits:)`.
    public static func load(data bytes: [UInt8], fileName: String, limits: ManifestLimits = .default) -> ManifestLoadResult {
        var result = ManifestLoadResult(file: fileName)
        if bytes.count > limits.maxFileBytes {
            result.errors.append(ManifestError(file: fileName, document: nil, message: tooLarge(bytes.count, limits)))
            return result
        }
        let isJSON = fileName.lowercased().hasSuffix(".json")
        let text: String
        do {
            text = try ManifestText.decode(bytes, prefix: isJSON ? "json" : "yaml")
        } catch {
            result.errors.append(ManifestError(file: fileName, document: nil, message: "\(error)"))
            return result
        }
        let parsed: ParsedManifest
        if isJSON {
            do {
                let v = try StrictJSONParser.parse(text, limits: limits)
                parsed = ParsedManifest(documents: v.map { [$0] } ?? [], failure: nil)
            } catch let e as ManifestSyntaxError {
                parsed = ParsedManifest(documents: [], failure: e)
            } catch {
                parsed = ParsedManifest(documents: [], failure: ManifestSyntaxError(message: "json: \(error)", line: nil))
            }
        } else {
            parsed = YAMLManifestParser.parse(text, limits: limits)
        }

        var seen: [String: Int] = [:]
        for (index, document) in parsed.documents.enumerated() {
            guard let document else { continue }
            let outcome = admit(document, fileName: fileName, index: index)
            result.warnings += outcome.warnings.map { ManifestWarning(file: fileName, document: index, message: $0) }
            guard let pod = outcome.pod else {
                result.errors += outcome.errors.map { ManifestError(file: fileName, document: index, message: $0) }
                continue
            }
            if let first = seen[pod.key] {
                result.errors.append(
                    ManifestError(
                        file: fileName, document: index,
                        message: conflictMessage(pod.key, file: fileName, document: first)))
                continue
            }
            seen[pod.key] = index
            result.pods.append(AdmittedPod(file: fileName, document: index, pod: pod, warnings: outcome.warnings))
        }
        if let failure = parsed.failure {
            result.errors.append(ManifestError(file: fileName, document: parsed.documents.count, message: failure.message))
        } else if parsed.documents.allSatisfy({ $0 == nil }) {
            result.warnings.append(
                ManifestWarning(
                    file: fileName, document: nil,
                    message: "the file holds no object (empty, comments only, or empty documents); no pod loaded"))
        }
        return result
    }

    /// Whether the directory entry `path` itself exists (`lstat`): a symbolic link that loops
    /// or points nowhere exists though its target cannot be read, so its read error is reported
    /// instead of being taken for a file removed during the scan.
    public static func entryExists(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0
    }

    /// Loads every manifest in `path` (not recursive), in file name order, skipping dotfiles,
    /// other extensions and anything that is not a regular file (or a link to one), and settles
    /// namespace/name conflicts between files (the file first in name order keeps the pod).
    ///
    /// - Parameters:
    ///   - loadFile: reads one file; a caller may pass a cache that reuses the result of a file
    ///     that did not change (the default reads every file).
    ///   - currentOwner: the file that defines the pod `namespace/name` now, if any: it keeps the
    ///     pod against a newcomer, whatever the name order (a new file never takes over a running pod).
    public static func loadDirectory(
        _ path: String, limits: ManifestLimits = .default,
        loadFile: ((String) -> ManifestLoadResult)? = nil,
        currentOwner: ((String) -> String?)? = nil
    ) -> DirectoryLoadResult {
        var out = DirectoryLoadResult(directory: path, files: [], pods: [], errors: [], warnings: [], skipped: [])
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: path).sorted {
                Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8))
            }
        } catch {
            out.errors.append(
                ManifestError(file: path, document: nil, message: "cannot read manifest directory: \(error.localizedDescription)"))
            return out
        }
        var candidates: [AdmittedPod] = []
        for name in names {
            guard isManifestName(name) else {
                out.skipped.append(name)
                continue
            }
            let full = (path as NSString).appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), isDirectory.boolValue {
                out.skipped.append(name)
                out.warnings.append(
                    ManifestWarning(file: full, document: nil, message: "a directory, not read (manifests are not searched recursively)"))
                continue
            }
            let file = loadFile?(full) ?? load(file: full, limits: limits)
            if !file.errors.isEmpty, !entryExists(full) {
                // Removed between the listing and the read (`rm` racing the scan): as if it had
                // not been listed; its removal is not an error.
                continue
            }
            out.files.append(file)
            out.errors += file.errors
            out.warnings += file.warnings
            candidates += file.pods
        }
        // The owner of each namespace/name: its current file when that still defines it, else
        // the first definition in name order; every other definition is a conflict.
        var filesByKey: [String: Set<String>] = [:]
        for admitted in candidates { filesByKey[admitted.key, default: []].insert(admitted.file) }
        var owners: [String: (file: String, document: Int)] = [:]
        for admitted in candidates where owners[admitted.key] == nil {
            if let current = currentOwner?(admitted.key), current != admitted.file,
                filesByKey[admitted.key]?.contains(current) == true
            {
                continue
            }
            owners[admitted.key] = (admitted.file, admitted.document)
        }
        for admitted in candidates {
            guard let owner = owners[admitted.key] else { continue }
            if owner.file == admitted.file && owner.document == admitted.document {
                out.pods.append(admitted)
            } else {
                out.errors.append(
                    ManifestError(
                        file: admitted.file, document: admitted.document,
                        message: conflictMessage(admitted.key, file: owner.file, document: owner.document)))
            }
        }
        return out
    }

    // MARK: Steps

    struct Admission {
        var pod: Pod?
        var warnings: [String]
        var errors: [String]
    }

    /// Decode, default, name, validate one document.
    static func admit(_ document: JSONValue, fileName: String, index: Int) -> Admission {
        let decoded = PodDecoding.decode(document)
        guard var pod = decoded.pod else { return Admission(pod: nil, warnings: decoded.warnings, errors: decoded.errors) }
        PodDefaulting.apply(to: &pod)
        if (pod.metadata.name ?? "").isEmpty, let prefix = pod.metadata.generateName, !prefix.isEmpty {
            pod.metadata.name = generatedName(prefix: prefix, fileName: fileName, document: index)
        }
        let errors = PodValidation.validate(pod)
        if !errors.isEmpty { return Admission(pod: nil, warnings: decoded.warnings, errors: errors.map(\.description)) }
        return Admission(pod: pod, warnings: decoded.warnings, errors: [])
    }

    static func conflictMessage(_ key: String, file: String, document: Int) -> String {
        "metadata.name: Duplicate value: \(GoQuote.quote(key)): pod \(key) is already defined in \(file) (document \(document)), whose definition is kept (the one running, else the first in file name order)"
    }

    static func tooLarge(_ size: Int, _ limits: ManifestLimits) -> String {
        "file is \(size) bytes, larger than the \(limits.maxFileBytes)-byte limit for a manifest; not read"
    }

    /// The apiserver's name generator alphabet (no vowels, no look-alike characters).
    static let nameAlphabet = Array("bcdfghjklmnpqrstvwxz2456789")

    /// `prefix` plus 5 characters derived (FNV-1a 32) from the file's base name and the document index.
    public static func generatedName(prefix: String, fileName: String, document: Int) -> String {
        var h: UInt32 = 0x811C_9DC5
        for b in "\((fileName as NSString).lastPathComponent)#\(document)".utf8 {
            h ^= UInt32(b)
            h = h &* 0x0100_0193
        }
        var suffix = ""
        for _ in 0..<5 {
            suffix.append(nameAlphabet[Int(h % UInt32(nameAlphabet.count))])
            h /= UInt32(nameAlphabet.count)
        }
        return prefix + suffix
    }

    /// Reads a regular file (following links) of at most `maxFileBytes` (`ManifestFileReader`).
    static func readFile(_ path: String, limits: ManifestLimits) -> Result<[UInt8], ManifestError> {
        ManifestFileReader.read(path, limits: limits)
    }
}

/// A warning about a manifest: an unknown field, or a file that holds no pod.
public struct ManifestWarning: Codable, Hashable, Sendable, CustomStringConvertible {
    public var file: String
    /// 0-based document index; nil for the whole file.
    public var document: Int?
    /// E.g. `unknown field "spec.fooBar"`.
    public var message: String

    /// A warning about `file` (document `document`, nil for the whole file).
    public init(file: String, document: Int?, message: String) {
        self.file = file
        self.document = document
        self.message = message
    }

    public var description: String {
        if let d = document { return "\(file) (document \(d)): \(message)" }
        return "\(file): \(message)"
    }
}

/// A pod a manifest defines that passed decoding, defaulting and validation.
public struct AdmittedPod: Hashable, Sendable {
    /// The manifest file, as given to the loader.
    public var file: String
    /// 0-based index of the document in the file.
    public var document: Int
    /// The pod, defaulted as the API server does.
    public var pod: Pod
    /// This document's warnings (unknown fields), `unknown field "spec.fooBar"`.
    public var warnings: [String]

    /// `namespace/name`.
    public var key: String { pod.key }

    /// The pod of document `document` of `file`.
    public init(file: String, document: Int, pod: Pod, warnings: [String]) {
        self.file = file
        self.document = document
        self.pod = pod
        self.warnings = warnings
    }
}

/// What one manifest file yields.
public struct ManifestLoadResult: Hashable, Sendable {
    public var file: String
    /// The admitted pods, in document order.
    public var pods: [AdmittedPod]
    /// One entry per problem; a rejected document may have several, each starting with the field
    /// path in Kubernetes' wording (or the parser's message for a syntax error).
    public var errors: [ManifestError]
    /// Every warning of the file, admitted pods' included.
    public var warnings: [ManifestWarning]

    /// A result for `file`, empty unless given.
    public init(file: String, pods: [AdmittedPod] = [], errors: [ManifestError] = [], warnings: [ManifestWarning] = []) {
        self.file = file
        self.pods = pods
        self.errors = errors
        self.warnings = warnings
    }
}

/// What a manifest directory yields.
public struct DirectoryLoadResult: Hashable, Sendable {
    public var directory: String
    /// Each manifest file's own result, in name order, before conflicts between files are settled.
    public var files: [ManifestLoadResult]
    /// The admitted pods of all files, in file then document order, each namespace/name once.
    public var pods: [AdmittedPod]
    /// All files' errors, plus one per pod that lost a namespace/name conflict, plus directory errors.
    public var errors: [ManifestError]
    /// All files' warnings, plus a note per entry that is not read (subdirectory, special file).
    public var warnings: [ManifestWarning]
    /// Names in the directory that are not manifests (dotfiles, other extensions, directories).
    public var skipped: [String]

    /// A result for `directory`.
    public init(directory: String, files: [ManifestLoadResult], pods: [AdmittedPod], errors: [ManifestError],
                warnings: [ManifestWarning], skipped: [String]) {
        self.directory = directory
        self.files = files
        self.pods = pods
        self.errors = errors
        self.warnings = warnings
        self.skipped = skipped
    }
}

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
    public init(
        directory: String, files: [ManifestLoadResult], pods: [AdmittedPod], errors: [ManifestError],
        warnings: [ManifestWarning], skipped: [String]
    ) {
        self.directory = directory
        self.files = files
        self.pods = pods
        self.errors = errors
        self.warnings = warnings
        self.skipped = skipped
    }
}

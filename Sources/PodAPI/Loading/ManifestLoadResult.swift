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

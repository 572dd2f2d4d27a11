import PodAPI

/// The desired pods of one source at one moment (kubelet's SET operation): every pod it
/// defines, the errors of what it could not admit, and which files failed (their pods are kept
/// as they were, never deleted because of a typo).
public struct DesiredPods: Sendable {
    /// One admitted pod and the file that defines it.
    public struct Entry: Sendable {
        public var pod: Pod
        public var source: String
        public init(pod: Pod, source: String) {
            self.pod = pod
            self.source = source
        }
    }

    public var pods: [Entry]
    public var errors: [ManifestError]
    /// Files with at least one rejected document.
    public var failedFiles: Set<String>
    public var warnings: [String]
    /// False when the source could not be read as a whole (its directory is missing or
    /// unreadable): then no pod is deleted for being absent.
    public var complete: Bool
    /// Pods the API is deleting (`namespace/name`: the `metadata.deletionGracePeriodSeconds` the
    /// API gave them, in seconds): absent from `pods`, they are stopped with this grace period
    /// instead of their spec's, as kubelet kills a pod being deleted.
    public var deletionGracePeriods: [String: Int64] = [:]
    /// nil: `pods` is every pod of the source (a whole snapshot, kubelet's SET). Otherwise the
    /// snapshot is partial: `pods` holds the pods of these sources (manifest files) only, and every
    /// other source's pods are as the previous snapshot of the stream said; a known pod of one of
    /// these sources that `pods` lacks is deleted (unless its file is in `failedFiles`).
    /// `errors`, `failedFiles` and `warnings` are always whole.
    public var partialSources: Set<String>?

    public init(
        pods: [Entry], errors: [ManifestError] = [], failedFiles: Set<String> = [], warnings: [String] = [],
        complete: Bool = true
    ) {
        self.complete = complete
        self.pods = pods
        self.errors = errors
        self.failedFiles = failedFiles
        self.warnings = warnings
    }
}

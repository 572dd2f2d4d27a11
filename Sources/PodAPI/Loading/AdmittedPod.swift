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

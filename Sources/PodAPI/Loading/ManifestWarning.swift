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

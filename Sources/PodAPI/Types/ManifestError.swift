/// A manifest that could not be applied: the file, the document index in it (0-based, nil for
/// the whole file) and the error in Kubernetes' wording (`spec.containers[0].image: Required value`).
public struct ManifestError: Codable, Hashable, Sendable, Error, CustomStringConvertible {
    public var file: String
    public var document: Int?
    public var message: String
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

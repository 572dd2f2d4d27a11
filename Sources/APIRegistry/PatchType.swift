/// The patch formats the API server takes, by `Content-Type`.
public enum PatchType: String, Sendable, Hashable {
    case strategicMerge = "application/strategic-merge-patch+json"
    case jsonMerge = "application/merge-patch+json"

    /// The type of a `Content-Type` header value (parameters ignored), nil when not supported.
    public init?(contentType: String) {
        let bare = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        self.init(rawValue: bare)
    }
}

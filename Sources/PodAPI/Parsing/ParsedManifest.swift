import Yams

/// The documents of one manifest file, parsed as far as the text allows.
public struct ParsedManifest: Hashable, Sendable {
    /// The documents in file order; nil marks an empty document (`---` alone, or only `null`).
    public var documents: [JSONValue?]
    /// The error that stopped parsing, found in document number `documents.count` (0-based);
    /// nil when the whole file parsed. The parser cannot resynchronise after a syntax error, so
    /// nothing after it is known.
    public var failure: ManifestSyntaxError?

    /// A parse outcome.
    public init(documents: [JSONValue?], failure: ManifestSyntaxError?) {
        self.documents = documents
        self.failure = failure
    }
}

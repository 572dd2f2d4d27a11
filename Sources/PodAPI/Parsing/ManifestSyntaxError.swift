/// A manifest that could not be parsed into a JSON value: bad UTF-8, a YAML or JSON syntax error,
/// a duplicate key, an alias bomb, too deep a nesting. `message` is in the parser's own wording,
/// as go-yaml (`yaml: line 10: mapping values are not allowed in this context`) or Go's
/// encoding/json (`json: line 13: invalid character '}' looking for beginning of object key string`)
/// print it, with 1-based line numbers.
public struct ManifestSyntaxError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The whole message, e.g. `yaml: line 5: found character that cannot start any token`.
    public var message: String
    /// The 1-based line the problem was found on, when known.
    public var line: Int?

    /// An error with the whole `message` and its 1-based `line`.
    public init(message: String, line: Int?) {
        self.message = message
        self.line = line
    }

    public var description: String { message }
}

/// The bounds every manifest parse runs within, so that no input can exhaust memory, the stack
/// or time.
public struct ManifestLimits: Hashable, Sendable {
    /// Largest manifest file read, in bytes (default 4 MiB).
    public var maxFileBytes: Int
    /// Most nodes one YAML document may expand to once aliases are followed (default 100,000).
    public var maxNodesPerDocument: Int
    /// Most bytes of scalar text one YAML document may expand to once aliases are followed
    /// (default 16 MiB), so that an alias of a long string cannot be multiplied either.
    public var maxExpandedBytesPerDocument: Int
    /// Deepest nesting of mappings and sequences (objects and arrays) accepted (default 200;
    /// a Pod needs about 15).
    public var maxDepth: Int
    /// Most documents one file may hold (default 10,000).
    public var maxDocuments: Int

    /// Limits; every argument defaults to the value described on its property.
    public init(maxFileBytes: Int = 4 << 20, maxNodesPerDocument: Int = 100_000,
                maxExpandedBytesPerDocument: Int = 16 << 20, maxDepth: Int = 200, maxDocuments: Int = 10_000) {
        self.maxFileBytes = maxFileBytes
        self.maxNodesPerDocument = maxNodesPerDocument
        self.maxExpandedBytesPerDocument = maxExpandedBytesPerDocument
        self.maxDepth = maxDepth
        self.maxDocuments = maxDocuments
    }

    /// The defaults described on each property.
    public static let `default` = ManifestLimits()
}

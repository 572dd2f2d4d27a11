/// The bounds every manifest parse runs within, so that no input can exhaust memory, the stack
/// or time.
public struct ManifestLimits: Hashable, Sendable {
    /// Largest manifest file read, in bytes (default 4 MiB).
    public var maxFileBytes: Int
    /// Most nodes one YAML document may expand to once aliases are followed (default 100,000).
    public var maxNodesPerDocument: Int
    /// Most bytes of scalar text one YAML document may expand to once aliases are followed
    /// (default 4 MiB, the largest file read), so that an alias of a long string cannot be
    /// multiplied either: decoding and quoting such a document cost time and memory in proportion
    /// (16 MiB of aliased `\0` cost 3 s and 200 MiB), and no Pod the API server accepts is larger
    /// (it refuses requests over 3 MiB).
    public var maxExpandedBytesPerDocument: Int
    /// Deepest nesting of mappings and sequences (objects and arrays) accepted (default 200;
    /// a Pod needs about 15).
    public var maxDepth: Int
    /// Most documents one file may hold (default 10,000).
    public var maxDocuments: Int

    /// Limits; every argument defaults to the value described on its property.
    public init(
        maxFileBytes: Int = 4 << 20, maxNodesPerDocument: Int = 100_000,
        maxExpandedBytesPerDocument: Int = 4 << 20, maxDepth: Int = 200, maxDocuments: Int = 10_000
    ) {
        self.maxFileBytes = maxFileBytes
        self.maxNodesPerDocument = maxNodesPerDocument
        self.maxExpandedBytesPerDocument = maxExpandedBytesPerDocument
        self.maxDepth = maxDepth
        self.maxDocuments = maxDocuments
    }

    /// The defaults described on each property.
    public static let `default` = ManifestLimits()
}

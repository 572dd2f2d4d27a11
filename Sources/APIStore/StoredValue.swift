/// One key's value as the store holds it (etcd's `mvccpb.KeyValue` without `lease`).
public struct StoredValue: Sendable, Hashable {
    public var key: String
    /// The object, as JSON bytes.
    public var value: [UInt8]
    /// The revision of the write that created the key.
    public var createRevision: Int64
    /// The revision of the key's last write (or of its delete, in a delete's result and event).
    public var modRevision: Int64

    public init(key: String, value: [UInt8], createRevision: Int64, modRevision: Int64) {
        self.key = key
        self.value = value
        self.createRevision = createRevision
        self.modRevision = modRevision
    }
}

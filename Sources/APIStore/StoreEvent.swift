/// One change of the store, as etcd's watch reports it.
public struct StoreEvent: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// A create (`value.createRevision == value.modRevision`) or an update.
        case put
        /// A delete; `value` holds the last value, `value.modRevision` the delete's revision.
        case delete
    }

    public var kind: Kind
    public var value: StoredValue
    /// For a put that replaced a value: the value before (etcd's `prev_kv`); nil otherwise.
    public var previous: StoredValue?

    /// The revision of the change.
    public var revision: Int64 { value.modRevision }

    public init(kind: Kind, value: StoredValue, previous: StoredValue? = nil) {
        self.kind = kind
        self.value = value
        self.previous = previous
    }
}

/// What a ``KeyValueStore`` call can fail with; each names the key or the backend call.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The key holds no value.
    case notFound(key: String)
    /// A create found a value at the key.
    case alreadyExists(key: String)
    /// A compare-and-swap found another revision; `current` is the value now there.
    case conflict(key: String, current: StoredValue)
    /// A watch started before the oldest revision the store still keeps (`compactRevision`).
    case compacted(requested: Int64, compactRevision: Int64)
    /// The backend did not answer or failed (`call`: what was attempted, `reason`: why).
    case unavailable(call: String, reason: String)

    public var description: String {
        switch self {
        case .notFound(let key): return "key \(key) not found"
        case .alreadyExists(let key): return "key \(key) already exists"
        case .conflict(let key, let current): return "key \(key) was modified (now at revision \(current.modRevision))"
        case .compacted(let requested, let compact):
            return "revision \(requested) is compacted (the oldest kept is \(compact))"
        case .unavailable(let call, let reason): return "store unavailable: \(call): \(reason)"
        }
    }
}

import PodAPI
import StateStore

/// The desired pods as last stored, by `namespace/name`, decoded once, with indexes by source
/// (manifest file) and by UID, so a partial snapshot is compared with its files' pods only and a
/// UID is checked without a scan of every pod.
struct KnownPods {
    typealias Item = (record: PodRecord, pod: Pod)

    private var byKey: [String: Item] = [:]
    private var keysBySource: [String: Set<String>] = [:]
    private var keyByUID: [String: String] = [:]

    init() {}

    /// The pods given, keyed by their record's `namespace/name` (tests).
    init(_ items: [Item]) {
        for item in items { self["\(item.record.namespace)/\(item.record.name)"] = item }
    }

    subscript(key: String) -> Item? {
        get { byKey[key] }
        set {
            if let old = byKey[key] {
                keysBySource[old.record.source]?.remove(key)
                if keysBySource[old.record.source]?.isEmpty == true { keysBySource[old.record.source] = nil }
                if keyByUID[old.record.uid] == key { keyByUID[old.record.uid] = nil }
            }
            byKey[key] = newValue
            if let item = newValue {
                keysBySource[item.record.source, default: []].insert(key)
                keyByUID[item.record.uid] = key
            }
        }
    }

    /// Every known `namespace/name`.
    var keys: Dictionary<String, Item>.Keys { byKey.keys }

    var count: Int { byKey.count }

    /// The pods `source` defined, by `namespace/name`.
    func keys(of source: String) -> Set<String> { keysBySource[source] ?? [] }

    /// The known pod with this UID.
    func item(uid: String) -> Item? { keyByUID[uid].flatMap { byKey[$0] } }
}

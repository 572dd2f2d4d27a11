import APIStore
import EtcdProto
import Foundation

/// Conversions between the store's keys and values and etcd's bytes.
enum EtcdKeys {
    /// etcd's range end for "every key starting with `prefix`": the prefix with its last byte
    /// raised by one (trailing 0xff bytes dropped first); `[0]` (every key) for an empty or
    /// all-0xff prefix.
    static func rangeEnd(ofPrefix prefix: String) -> Data {
        var bytes = Array(prefix.utf8)
        while let last = bytes.last {
            if last < 0xff {
                bytes[bytes.count - 1] = last + 1
                return Data(bytes)
            }
            bytes.removeLast()
        }
        return Data([0])
    }

    static func data(_ key: String) -> Data { Data(key.utf8) }

    /// A `mvccpb.KeyValue` as a ``StoredValue`` (a key that is not UTF-8 is decoded with
    /// replacement characters; the store writes only UTF-8 keys).
    static func storedValue(_ kv: Mvccpb_KeyValue, value: Data? = nil) -> StoredValue {
        StoredValue(
            key: String(decoding: kv.key, as: UTF8.self), value: [UInt8](value ?? kv.value),
            createRevision: kv.createRevision, modRevision: kv.modRevision)
    }
}

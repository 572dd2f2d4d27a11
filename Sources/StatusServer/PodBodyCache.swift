import Foundation
import Hummingbird
import PodAPI
import Synchronization

/// The JSON bodies of pods as last served, reused while the pod is unchanged.
///
/// Encoding a Pod with its status (Foundation's `JSONEncoder`, sorted keys) takes about 0.1 to
/// 0.2 milliseconds of CPU for a pod of 2 containers, more than all the rest of a request, and the list
/// of 1,000 pods took over 100 ms. Comparing the pod with the one encoded last time costs a small
/// fraction of that: a pod the agent did not change shares its storage with the cached copy, so
/// the comparison mostly compares references. A body is byte for byte what `JSONEncoder` makes
/// of the pod; an entry is only ever used for a pod equal to the one it was made from.
///
/// Holds one body per pod asked for (about 2.4 KB for a pod of 2 containers), and the pod value it
/// was made from. The list keeps exactly the listed pods; a pod asked for and not found is dropped.
final class PodBodyCache: Sendable {
    /// A class, so that looking entries up and handing them around retains one reference rather
    /// than every field of a Pod.
    private final class Entry: Sendable {
        let pod: Pod
        let body: ByteBuffer
        init(pod: Pod, body: ByteBuffer) {
            self.pod = pod
            self.body = body
        }
    }

    private let entries = Mutex<[String: Entry]>([:])

    /// The JSON of `pod`: the cached body when the pod is unchanged, else freshly encoded (and cached).
    /// - Throws: `EncodingError` from `JSONEncoder`.
    func body(of pod: Pod) throws -> ByteBuffer {
        let key = pod.key
        if let entry = entries.withLock({ $0[key] }), entry.pod == pod { return entry.body }
        let body = try Self.encode(pod)
        entries.withLock { $0[key] = Entry(pod: pod, body: body) }
        return body
    }

    /// Drops the body of `namespace/name` (the pod is gone).
    func forget(namespace: String, name: String) {
        _ = entries.withLock { $0.removeValue(forKey: "\(namespace)/\(name)") }
    }

    /// The `PodList` of `pods`, in their order, as `JSONEncoder` writes `PodList(items: pods)`,
    /// each pod's JSON taken from the cache when the pod is unchanged. Afterwards the cache holds
    /// exactly these pods.
    /// - Throws: `EncodingError` from `JSONEncoder`.
    func list(_ pods: [Pod]) throws -> ByteBuffer {
        let keys = pods.map(\.key)
        let (cached, stale) = entries.withLock { entries in (keys.map { entries[$0] }, entries.count != keys.count) }
        var bodies: [ByteBuffer] = []
        bodies.reserveCapacity(pods.count)
        var changed: [(key: String, entry: Entry)] = []
        for (i, pod) in pods.enumerated() {
            if let entry = cached[i], entry.pod == pod {
                bodies.append(entry.body)
            } else {
                let entry = Entry(pod: pod, body: try Self.encode(pod))
                bodies.append(entry.body)
                changed.append((keys[i], entry))
            }
        }
        if stale || !changed.isEmpty {
            entries.withLock { entries in
                for (key, entry) in changed { entries[key] = entry }
                // Pods gone since the last list (or a GET of one not listed): keep only the listed ones.
                if entries.count != keys.count {
                    let listed = Set(keys)
                    entries = entries.filter { listed.contains($0.key) }
                }
            }
        }
        let envelope = try Self.listEnvelope.get()
        var out = ByteBuffer()
        out.reserveCapacity(envelope.head.readableBytes + envelope.tail.readableBytes + bodies.reduce(pods.count) { $0 + $1.readableBytes })
        out.writeImmutableBuffer(envelope.head)
        for (i, body) in bodies.enumerated() {
            if i > 0 { out.writeInteger(UInt8(ascii: ",")) }
            out.writeImmutableBuffer(body)
        }
        out.writeImmutableBuffer(envelope.tail)
        return out
    }

    /// An empty `PodList` as the encoder writes it, cut where the items go:
    /// `{"apiVersion":"v1","items":[` and `],"kind":"PodList","metadata":{}}`. Made once.
    private static let listEnvelope: Result<(head: ByteBuffer, tail: ByteBuffer), any Error> = Result {
        let bytes = Array(try encode(PodList(items: [])).readableBytesView)
        let marker = Array(#""items":[]"#.utf8)
        guard bytes.count >= marker.count,
            let at = (0...(bytes.count - marker.count)).first(where: { bytes[$0..<($0 + marker.count)].elementsEqual(marker) })
        else {
            throw EncodingError.invalidValue(bytes, .init(codingPath: [], debugDescription: "an empty PodList without \"items\":[]"))
        }
        let split = at + marker.count - 1
        return (ByteBuffer(bytes: bytes[..<split]), ByteBuffer(bytes: bytes[split...]))
    }

    /// `value` as the status socket writes every body: JSON, sorted keys, slashes unescaped.
    static func encode(_ value: some Encodable) throws -> ByteBuffer {
        ByteBuffer(bytes: try StatusRoutes.encoder().encode(value))
    }
}

import Foundation
import PodAPI

/// Each pod's desired spec decoded once per stored version: a sync reads the pod's record and
/// takes the decoded Pod from here while the record's JSON is the one decoded last, instead of
/// decoding the JSON at every sync (a hash of the JSON against a JSON decode of the whole pod).
/// The JSON itself is not kept: its length and 64-bit SipHash (randomly seeded per process)
/// tell versions apart. The spec's sandbox hash (`RuntimeConfigs.podSpecHash`, a JSON encoding of
/// the spec) is computed with the decode, once per version, instead of up to four times a sync.
final class DecodedPods: @unchecked Sendable {
    /// A decoded pod and its spec's `RuntimeConfigs.podSpecHash`.
    struct Decoded {
        var pod: Pod
        var specHash: String
    }

    private struct Version: Equatable {
        var length: Int
        var hash: Int
        init(_ json: String) {
            length = json.utf8.count
            hash = json.hashValue
        }
    }

    private var pods: [String: (version: Version, decoded: Decoded)] = [:]
    private let lock = NSLock()

    /// The pod stored as `json` under `uid`.
    /// - Throws: a `DecodingError` when `json` is not a Pod (nothing is cached then).
    func pod(uid: String, json: String) throws -> Decoded {
        let version = Version(json)
        lock.lock()
        if let cached = pods[uid], cached.version == version {
            lock.unlock()
            return cached.decoded
        }
        lock.unlock()
        let pod = try JSONDecoder().decode(Pod.self, from: Data(json.utf8))
        let decoded = Decoded(pod: pod, specHash: RuntimeConfigs.podSpecHash(pod.spec))
        lock.lock()
        pods[uid] = (version, decoded)
        lock.unlock()
        return decoded
    }

    /// Takes `pod` for the decode of `json`, which the caller encoded from it
    /// (`NodeAgent.json`): a pod the agent itself stores then needs no decode at its next sync,
    /// and its spec's storage is shared with the agent's other tables instead of decoded anew
    /// (about 1.2 MB at 1,000 pods). Sound because a Pod's JSON decodes to the same Pod
    /// (`PodRoundTripTests`, and the fuzzer's round-trip invariant).
    func remember(uid: String, json: String, pod: Pod) {
        let entry = (Version(json), Decoded(pod: pod, specHash: RuntimeConfigs.podSpecHash(pod.spec)))
        lock.lock()
        pods[uid] = entry
        lock.unlock()
    }

    /// Forgets a deleted pod.
    func remove(_ uid: String) {
        lock.lock()
        pods[uid] = nil
        lock.unlock()
    }
}

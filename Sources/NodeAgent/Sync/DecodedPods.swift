import Foundation
import PodAPI

/// Each pod's desired spec decoded once per stored version: a sync reads the pod's record and
/// takes the decoded Pod from here while the record's JSON is the one decoded last, instead of
/// decoding the JSON at every sync (a hash of the JSON against a JSON decode of the whole pod).
/// The JSON itself is not kept: its length and 64-bit SipHash (randomly seeded per process)
/// tell versions apart.
final class DecodedPods: @unchecked Sendable {
    private struct Version: Equatable {
        var length: Int
        var hash: Int
        init(_ json: String) {
            length = json.utf8.count
            hash = json.hashValue
        }
    }

    private var pods: [String: (version: Version, pod: Pod)] = [:]
    private let lock = NSLock()

    /// The pod stored as `json` under `uid`.
    /// - Throws: a `DecodingError` when `json` is not a Pod (nothing is cached then).
    func pod(uid: String, json: String) throws -> Pod {
        let version = Version(json)
        lock.lock()
        if let cached = pods[uid], cached.version == version {
            lock.unlock()
            return cached.pod
        }
        lock.unlock()
        let pod = try JSONDecoder().decode(Pod.self, from: Data(json.utf8))
        lock.lock()
        pods[uid] = (version, pod)
        lock.unlock()
        return pod
    }

    /// Forgets a deleted pod.
    func remove(_ uid: String) {
        lock.lock()
        pods[uid] = nil
        lock.unlock()
    }
}

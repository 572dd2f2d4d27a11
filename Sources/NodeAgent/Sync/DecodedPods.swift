import Foundation
import PodAPI

/// Each pod's desired spec decoded once per stored version: a sync reads the pod's record and
/// takes the decoded Pod from here while the record's JSON is the one decoded last, instead of
/// decoding the JSON at every sync (a string comparison against a JSON decode of the whole pod).
final class DecodedPods: @unchecked Sendable {
    private var pods: [String: (json: String, pod: Pod)] = [:]
    private let lock = NSLock()

    /// The pod stored as `json` under `uid`.
    /// - Throws: a `DecodingError` when `json` is not a Pod (nothing is cached then).
    func pod(uid: String, json: String) throws -> Pod {
        lock.lock()
        if let cached = pods[uid], cached.json == json {
            lock.unlock()
            return cached.pod
        }
        lock.unlock()
        let pod = try JSONDecoder().decode(Pod.self, from: Data(json.utf8))
        lock.lock()
        pods[uid] = (json, pod)
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

import Foundation
import KubeAPI
import KubeClient
import Logging
import PodAPI
import Synchronization

/// Records Events about CloneSets as client-go's recorder does for kruise's
/// `cloneset-controller`: `involvedObject` the set, `source.component` `cloneset-controller`;
/// an event repeated (same set, type, reason and message) bumps the first one's `count` and
/// `lastTimestamp` instead of adding another. Best effort: a failed write is logged.
public final class EventRecorder: Sendable {
    let client: KubeClient
    let logger: Logger
    let component: String
    private let seen = Mutex<[String: (name: String, count: Int64)]>([:])

    public init(client: KubeClient, logger: Logger, component: String = "cloneset-controller") {
        self.client = client
        self.logger = logger
        self.component = component
    }

    func record(set: JSONValue, type: String, reason: String, message: String, now: Date = Date()) async {
        let meta = set["metadata"] ?? .null
        let ns = meta.string("namespace") ?? "default"
        let key = "\(meta.string("uid") ?? "")/\(type)/\(reason)/\(message)"
        let at = JSONValue.string(Time(now).description)
        if let earlier = seen.withLock({ s -> (name: String, count: Int64)? in
            guard let e = s[key] else { return nil }
            s[key] = (e.name, e.count + 1)
            return (e.name, e.count + 1)
        }) {
            let patch: JSONValue = ["count": .integer(earlier.count), "lastTimestamp": at]
            if (try? await client.patch(.events, namespace: ns, name: earlier.name, contentType: "application/merge-patch+json", patch))
                != nil
            {
                return
            }
        }
        let name = "\(meta.string("name") ?? "").\(String(UInt64.random(in: 0...UInt64.max) & 0xffff_ffff_ffff, radix: 16))"
        let event: JSONValue = [
            "apiVersion": "v1", "kind": "Event",
            "metadata": ["name": .string(name), "namespace": .string(ns)],
            "involvedObject": [
                "kind": "CloneSet", "apiVersion": "apps.kruise.io/v1beta1", "namespace": .string(ns),
                "name": .string(meta.string("name") ?? ""), "uid": .string(meta.string("uid") ?? ""),
                "resourceVersion": .string(meta.string("resourceVersion") ?? ""),
            ],
            "reason": .string(reason), "message": .string(message), "type": .string(type),
            "source": ["component": .string(component)], "reportingComponent": .string(component),
            "firstTimestamp": at, "lastTimestamp": at, "count": 1,
        ]
        do {
            _ = try await client.create(.events, namespace: ns, event)
            seen.withLock { $0[key] = (name, 1) }
        } catch {
            logger.debug("cloneset: event not recorded", metadata: ["reason": "\(reason)", "error": "\(error)"])
        }
    }
}

import Foundation
import Logging
import NIOCore
import NodeAgent
import PodAPI
import Synchronization

/// The pods the API binds to this node, as kubelet's API source reads them: a list of
/// `/api/v1/pods?fieldSelector=spec.nodeName=<node>`, then a watch from the list's
/// resourceVersion (bookmarks allowed, 5-minute watches), resumed from the last version seen
/// after a dropped connection and relisted after a 410 Expired. Each change gives a whole
/// snapshot (`source` "api").
///
/// A pod with a `deletionTimestamp` leaves the snapshot (the agent stops it, with its grace
/// period); once `isStopped(uid)` says so, its deletion is confirmed with
/// `DELETE ... {"gracePeriodSeconds":0,"preconditions":{"uid":...}}`, as kubelet does.
///
/// Only the conditions other writers own (readiness gates such as `InPlaceUpdateReady`) are kept
/// of a pod's status, so the agent's own status writes, seen again through the watch, are not
/// changes of the desired pod.
public final class APIPodSource: PodSource, Sendable {
    public let endpoint: ControllerEndpoint
    public let nodeName: String
    let logger: Logger
    let isStopped: @Sendable (String) async -> Bool
    let reconcile: @Sendable (String, [String: String]) async -> Void
    private let outputs = Mutex<[AsyncStream<DesiredPods>.Continuation]>([])

    /// - Parameters:
    ///   - isStopped: whether the agent no longer runs anything of the pod of this uid.
    ///   - reconcile: told of each pod read (its uid and the API's condition statuses by type), so
    ///     the agent can send its status again when the API's differs.
    public init(
        endpoint: ControllerEndpoint, nodeName: String, logger: Logger, isStopped: @escaping @Sendable (String) async -> Bool,
        reconcile: @escaping @Sendable (String, [String: String]) async -> Void = { _, _ in }
    ) {
        self.reconcile = reconcile
        self.endpoint = endpoint
        self.nodeName = nodeName
        self.logger = logger
        self.isStopped = isStopped
    }

    public func snapshots() -> AsyncStream<DesiredPods> {
        AsyncStream(bufferingPolicy: .bufferingNewest(1)) { continuation in
            let task = Task { await self.run(continuation) }
            continuation.onTermination = { _ in task.cancel() }
            outputs.withLock { $0.append(continuation) }
        }
    }

    /// Ends every stream of snapshots (their list-and-watch tasks are cancelled).
    public func stop() {
        for output in outputs.withLock({ $0 }) { output.finish() }
    }

    var selector: String { "fieldSelector=" + "spec.nodeName=\(nodeName)".addingPercentEncoding(withAllowedCharacters: .alphanumerics)! }

    func run(_ out: AsyncStream<DesiredPods>.Continuation) async {
        let client = ControllerClient(endpoint: endpoint, connections: 2, logger: logger, streaming: true)
        let requests = ControllerClient(endpoint: endpoint, connections: 2, logger: logger)
        let cache = PodCache()
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.listAndWatch(client, cache: cache, out) }
            group.addTask { await self.confirmDeletions(requests, cache: cache) }
            await group.next()
            group.cancelAll()
        }
        out.finish()
        await client.shutdown()
        await requests.shutdown()
    }

    func listAndWatch(_ client: ControllerClient, cache: PodCache, _ out: AsyncStream<DesiredPods>.Continuation) async {
        var resourceVersion: String?
        var backoff = 0.5
        func emit() { out.yield(Self.snapshot(cache.pods.withLock { $0 })) }
        while !Task.isCancelled {
            do {
                let bearer = try client.credentials().bearer
                if resourceVersion == nil {
                    let (status, body) = try await client.fetch(method: .GET, path: "/api/v1/pods?\(selector)", bearer: bearer)
                    guard status == 200 else {
                        throw APISourceError(message: "GET /api/v1/pods: \(status) \(String(buffer: body).prefix(300))")
                    }
                    let list = try JSONValue.parse(body.readableBytesView)
                    let items = list.array("items")
                    cache.pods.withLock { pods in
                        pods = Dictionary(items.map { ($0["metadata"]?.string("uid") ?? "", $0) }, uniquingKeysWith: { _, b in b })
                    }
                    resourceVersion = list["metadata"]?.string("resourceVersion") ?? "0"
                    logger.info("api source: listed pods", metadata: ["node": "\(nodeName)", "pods": "\(items.count)"])
                    emit()
                    for item in items { await reconcile(item["metadata"]?.string("uid") ?? "", Self.conditionStatuses(item)) }
                }
                let path =
                    "/api/v1/pods?watch=true&allowWatchBookmarks=true&timeoutSeconds=300&\(selector)&resourceVersion=\(resourceVersion!)"
                let (status, lines) = try await client.watch(path: path, bearer: bearer)
                if status == 410 {
                    resourceVersion = nil
                    continue
                }
                guard status == 200 else {
                    var text = ""
                    for try await line in lines { text += String(decoding: line, as: UTF8.self) }
                    throw APISourceError(message: "watch /api/v1/pods: \(status) \(text.prefix(300))")
                }
                backoff = 0.5
                for try await line in lines {
                    let event = try JSONValue.parse(line)
                    let object = event["object"] ?? .null
                    let rv = object["metadata"]?.string("resourceVersion")
                    let uid = object["metadata"]?.string("uid") ?? ""
                    switch event.string("type") {
                    case "ADDED", "MODIFIED":
                        cache.pods.withLock { $0[uid] = object }
                        resourceVersion = rv ?? resourceVersion
                        emit()
                        await reconcile(uid, Self.conditionStatuses(object))
                    case "DELETED":
                        cache.pods.withLock { $0[uid] = nil }
                        resourceVersion = rv ?? resourceVersion
                        emit()
                    case "BOOKMARK":
                        resourceVersion = rv ?? resourceVersion
                    default:
                        if object.integer("code") == 410 { resourceVersion = nil }
                        logger.info("api source: watch ended", metadata: ["status": "\(object.jsonText().prefix(300))"])
                    }
                }
            } catch {
                if Task.isCancelled { return }
                logger.warning(
                    "api source: cannot read pods; the running pods keep running", metadata: ["node": "\(nodeName)", "error": "\(error)"])
                try? await Task.sleep(for: .seconds(backoff))
                backoff = min(backoff * 2, 10)
            }
        }
    }

    /// A pod object's condition statuses by type.
    static func conditionStatuses(_ object: JSONValue) -> [String: String] {
        var out: [String: String] = [:]
        for c in object["status"]?.array("conditions") ?? [] {
            if let type = c.string("type"), let status = c.string("status") { out[type] = status }
        }
        return out
    }

    /// The desired pods of the cached objects.
    static func snapshot(_ objects: [String: JSONValue]) -> DesiredPods {
        var entries: [DesiredPods.Entry] = []
        var warnings: [String] = []
        var graces: [String: Int64] = [:]
        for (_, object) in objects where object["metadata"]?["deletionTimestamp"] != nil {
            let meta = object["metadata"] ?? .null
            if let grace = meta.integer("deletionGracePeriodSeconds") {
                graces["\(meta.string("namespace") ?? "default")/\(meta.string("name") ?? "")"] = Int64(grace)
            }
        }
        for (_, object) in objects.sorted(by: { $0.key < $1.key }) where object["metadata"]?["deletionTimestamp"] == nil {
            var desired = object
            let gates =
                object["status"]?.array("conditions").filter {
                    let type = $0.string("type") ?? ""
                    return !WellKnown.kubeletConditionTypes.contains(type) && type != WellKnown.podScheduled
                } ?? []
            desired.set("status", nil)
            var meta = desired["metadata"] ?? .object([:])
            for volatile in ["resourceVersion", "managedFields", "generation"] { meta.set(volatile, nil) }
            desired.set("metadata", meta)
            let decoded = PodDecoding.decode(desired)
            if var pod = decoded.pod {
                // The decoder drops status (as for a created pod); the gates are read from it.
                if !gates.isEmpty {
                    var kept = PodStatus()
                    kept.conditions = gates.compactMap { try? JSONDecoder().decode(PodCondition.self, from: Data($0.jsonBytes())) }
                    pod.status = kept
                }
                entries.append(DesiredPods.Entry(pod: pod, source: WellKnown.apiSource))
            } else {
                warnings.append(
                    "api pod \(object["metadata"]?.string("namespace") ?? "")/\(object["metadata"]?.string("name") ?? ""): \(decoded.errors.joined(separator: "; "))"
                )
            }
        }
        var desired = DesiredPods(pods: entries, warnings: warnings, complete: true)
        desired.deletionGracePeriods = graces
        return desired
    }

    /// Confirms the deletion of pods being deleted once the agent has stopped them.
    func confirmDeletions(_ client: ControllerClient, cache: PodCache) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(500))
            let terminating = cache.pods.withLock { $0.values.filter { $0["metadata"]?["deletionTimestamp"] != nil } }
            for pod in terminating {
                let meta = pod["metadata"] ?? .null
                let uid = meta.string("uid") ?? ""
                guard await isStopped(uid) else { continue }
                let path = ControllerEndpoint.podPath(namespace: meta.string("namespace") ?? "default", name: meta.string("name") ?? "")
                let body: JSONValue = ["gracePeriodSeconds": 0, "preconditions": ["uid": .string(uid)]]
                do {
                    let bearer = try client.credentials().bearer
                    let response = try await client.send(
                        method: .DELETE, path: path, contentType: "application/json", body: ByteBuffer(bytes: body.jsonBytes()),
                        bearer: bearer)
                    if (200..<300).contains(response.status) || response.status == 404 || response.status == 409 {
                        cache.pods.withLock { _ = $0.removeValue(forKey: uid) }
                        logger.info(
                            "api source: pod deletion confirmed",
                            metadata: [
                                "pod": "\(meta.string("namespace") ?? "")/\(meta.string("name") ?? "")", "status": "\(response.status)",
                            ])
                    }
                } catch {
                    logger.debug("api source: deletion not confirmed yet", metadata: ["error": "\(error)"])
                }
            }
        }
    }
}

/// The pods bound to the node, by uid, as the API source last read them.
final class PodCache: Sendable {
    let pods = Mutex<[String: JSONValue]>([:])
}

import Foundation
import KubeAPI
import Logging
import PodAPI
import Synchronization

/// A cache of one resource kept by LIST then WATCH over HTTP (client-go's reflector and
/// indexer-less store): the objects by `namespace/name`; a watch that ends is resumed from the
/// last resourceVersion seen, a 410 `Expired` (or any error) relists, after 1 s then backing off
/// to 10 s. Every change is passed to `onChange` (old object, new object; nil for added /
/// deleted) after the cache holds it; a relist reports each object as changed.
public final class RemoteInformer: Sendable {
    public typealias Handler = @Sendable (_ old: JSONValue?, _ new: JSONValue?) -> Void

    let client: KubeClient
    public let resource: APIResource
    let labelSelector: String?
    let logger: Logger
    let onChange: Handler
    private let state = Mutex<(objects: [String: JSONValue], synced: Bool)>(([:], false))

    public init(client: KubeClient, resource: APIResource, labelSelector: String? = nil, logger: Logger, onChange: @escaping Handler) {
        self.client = client
        self.resource = resource
        self.labelSelector = labelSelector
        self.logger = logger
        self.onChange = onChange
    }

    /// Every cached object.
    public func objects() -> [JSONValue] { state.withLock { Array($0.objects.values) } }

    /// The cached object of `namespace/name` (`name` alone for cluster-scoped kinds).
    public func object(_ key: String) -> JSONValue? { state.withLock { $0.objects[key] } }

    /// Whether the first list has been read.
    public var hasSynced: Bool { state.withLock { $0.synced } }

    /// `namespace/name` of an object (`name` when it has no namespace).
    public static func key(_ object: JSONValue) -> String {
        let meta = object["metadata"]
        let name = meta?.string("name") ?? ""
        if let ns = meta?.string("namespace") { return "\(ns)/\(name)" }
        return name
    }

    /// Lists and watches until cancelled.
    public func run() async {
        var resourceVersion: String?
        var backoff = 1.0
        while !Task.isCancelled {
            do {
                if resourceVersion == nil {
                    let (items, rv) = try await client.list(resource, namespace: nil, labelSelector: labelSelector)
                    let fresh = Dictionary(items.map { (Self.key($0), $0) }, uniquingKeysWith: { _, b in b })
                    let old = state.withLock { s in
                        defer {
                            s.objects = fresh
                            s.synced = true
                        }
                        return s.objects
                    }
                    for (key, object) in fresh { onChange(old[key], object) }
                    for (key, object) in old where fresh[key] == nil { onChange(object, nil) }
                    resourceVersion = rv
                }
                let events = try await client.watch(
                    resource, namespace: nil, resourceVersion: resourceVersion!, labelSelector: labelSelector)
                backoff = 1
                for try await event in events {
                    let object = event["object"] ?? .null
                    let rv = object["metadata"]?.string("resourceVersion")
                    switch event.string("type") {
                    case "ADDED", "MODIFIED":
                        let key = Self.key(object)
                        let old = state.withLock { s in
                            defer { s.objects[key] = object }
                            return s.objects[key]
                        }
                        resourceVersion = rv ?? resourceVersion
                        onChange(old, object)
                    case "DELETED":
                        let key = Self.key(object)
                        let old = state.withLock { $0.objects.removeValue(forKey: key) }
                        resourceVersion = rv ?? resourceVersion
                        onChange(old ?? object, nil)
                    case "BOOKMARK":
                        resourceVersion = rv ?? resourceVersion
                    default:
                        // An ERROR event: 410 Expired means the version is gone; list again.
                        if object.integer("code") == 410 { resourceVersion = nil }
                        logger.info(
                            "informer: watch ended",
                            metadata: ["resource": "\(resource.plural)", "status": "\(object.jsonText().prefix(200))"])
                    }
                }
            } catch {
                if Task.isCancelled { return }
                if (error as? KubeClientError)?.code != 410 {
                    logger.warning("informer: list or watch failed", metadata: ["resource": "\(resource.plural)", "error": "\(error)"])
                }
                resourceVersion = nil
                try? await Task.sleep(for: .seconds(backoff))
                backoff = min(backoff * 2, 10)
            }
        }
    }
}

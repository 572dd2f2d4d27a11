import APIRegistry
import Foundation
import KubeAPI
import KubeClient
import Logging
import PodAPI
import Synchronization

/// A cache of one resource kept by list and then watch (client-go's reflector and store): the
/// objects by `namespace/name`, relisted when the watch ends or expires; its ``Wakeup``s are told of
/// every change.
public final class Informer: Sendable {
    let registry: ObjectRegistry
    let resource: APIResource
    let logger: Logger
    private let state = Mutex<(objects: [String: JSONValue], synced: Bool)>(([:], false))
    private let wakeups: [Wakeup]

    /// - Parameter wakeups: notified after every change of the cache.
    public init(registry: ObjectRegistry, resource: APIResource, logger: Logger, wakeups: [Wakeup] = []) {
        self.wakeups = wakeups
        self.registry = registry
        self.resource = resource
        self.logger = logger
    }

    /// Every cached object.
    public func objects() -> [JSONValue] { state.withLock { Array($0.objects.values) } }

    /// The cached object of `namespace/name` (`name` alone for cluster-scoped kinds).
    public func object(_ key: String) -> JSONValue? { state.withLock { $0.objects[key] } }

    /// Whether the first list has been read.
    public var hasSynced: Bool { state.withLock { $0.synced } }

    static func key(_ object: JSONValue) -> String {
        let meta = object["metadata"]
        let name = meta?.string("name") ?? ""
        if let ns = meta?.string("namespace") { return "\(ns)/\(name)" }
        return name
    }

    private func notify(_ change: (inout [String: JSONValue]) -> Void) {
        state.withLock { s in
            change(&s.objects)
            s.synced = true
        }
        for w in wakeups { w.notify() }
    }

    /// Lists and watches until cancelled; a failed list is retried after 1 s.
    public func run() async {
        while !Task.isCancelled {
            let revision: Int64
            do {
                let (items, rv) = try await registry.list(resource, namespace: nil)
                notify { objects in
                    objects = Dictionary(items.map { (Self.key($0), $0) }, uniquingKeysWith: { _, b in b })
                }
                revision = rv
            } catch {
                logger.warning("informer: list failed", metadata: ["resource": "\(resource.plural)", "error": "\(error)"])
                try? await Task.sleep(for: .seconds(1))
                continue
            }
            for await event in registry.watch(resource, namespace: nil, options: ListOptions(resourceVersion: revision)) {
                switch event.type {
                case .added, .modified: notify { $0[Self.key(event.object)] = event.object }
                case .deleted: notify { $0[Self.key(event.object)] = nil }
                case .bookmark: continue
                case .error:
                    logger.info(
                        "informer: watch ended, relisting",
                        metadata: ["resource": "\(resource.plural)", "status": "\(event.object.jsonText())"])
                }
            }
            if !Task.isCancelled { try? await Task.sleep(for: .milliseconds(200)) }
        }
    }
}

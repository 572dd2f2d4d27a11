import APIServer
import Foundation
import KubeAPI
import PodAPI
import Testing

@testable import APIRegistry

@Suite("The watch cache")
struct WatchCacheTests {
    /// The events of `stream` until `count` have come (10 s at most).
    static func take(_ count: Int, _ stream: AsyncStream<WatchEvent>) async throws -> [WatchEvent] {
        try await WatchTests.take(count, stream)
    }

    static func names(_ events: [WatchEvent]) -> [String] { events.map { "\($0.type.rawValue) \(Self.name($0))" } }
    static func name(_ e: WatchEvent) -> String { e.object["metadata"]?.string("name") ?? "" }

    @Test("50 node watches: each gets only its node's pods, and each change is decoded once, not once per watch")
    func nodeIndex() async throws {
        let api = try TestAPI()
        defer { api.remove() }
        let start = try await api.registry.store.currentRevision()
        var watches: [AsyncStream<WatchEvent>] = []
        for n in 0..<50 {
            let options = ListOptions(
                fieldSelector: try FieldSelector.parse("spec.nodeName=node-\(n)", for: .pods), resourceVersion: start)
            watches.append(api.registry.watch(.pods, namespace: nil, options: options))
        }
        let everything = api.registry.watch(.pods, namespace: nil, options: ListOptions(resourceVersion: start))
        for i in 0..<100 {
            _ = await api.call("POST", "/api/v1/namespaces/default/pods", body: TestAPI.pod("p\(i)", node: "node-\(i % 50)"))
        }
        for n in 0..<50 {
            let events = try await Self.take(2, watches[n])
            #expect(Self.names(events) == ["ADDED p\(n)", "ADDED p\(n + 50)"])
        }
        #expect(try await Self.take(100, everything).count == 100)
        let cache = try #require(api.registry.watchCache(.pods))
        #expect(await cache.decoded == 100)
    }

    @Test("the same events as a watch on the store: a pod relabeled out of a selector is DELETED, back in ADDED")
    func sameAsStore() async throws {
        let api = try TestAPI()
        defer { api.remove() }
        let uncached = ObjectRegistry(store: api.registry.store, watchCacheSize: 0)
        let start = try await api.registry.store.currentRevision()
        let options = ListOptions(labelSelector: try LabelSelector.parse("app=web"), resourceVersion: start)
        let cached = api.registry.watch(.pods, namespace: "default", options: options)
        let direct = uncached.watch(.pods, namespace: "default", options: options)
        _ = await api.call("POST", "/api/v1/namespaces/default/pods", body: TestAPI.pod("a"))
        _ = await api.call("POST", "/api/v1/namespaces/other/pods", body: TestAPI.pod("elsewhere"))
        let relabel = #"{"metadata":{"labels":{"app":"db"}}}"#
        let back = #"{"metadata":{"labels":{"app":"web"}}}"#
        for body in [relabel, relabel, back] {
            _ = await api.call(
                "PATCH", "/api/v1/namespaces/default/pods/a", contentType: "application/merge-patch+json", body: body)
        }
        _ = await api.call("DELETE", "/api/v1/namespaces/default/pods/a", body: #"{"gracePeriodSeconds":0}"#)
        let fromCache = try await Self.take(4, cached)
        let fromStore = try await Self.take(4, direct)
        #expect(Self.names(fromCache) == ["ADDED a", "DELETED a", "ADDED a", "DELETED a"])
        #expect(fromCache == fromStore)
    }

    @Test("a watch from before what the cache keeps is served from the store, complete and in order")
    func olderThanTheCache() async throws {
        let api = try TestAPI()
        defer { api.remove() }
        let small = ObjectRegistry(store: api.registry.store, watchCacheSize: 5)
        let start = try await api.registry.store.currentRevision()
        let live = small.watch(.pods, namespace: nil, options: ListOptions(resourceVersion: start))
        for i in 0..<20 { _ = await api.call("POST", "/api/v1/namespaces/default/pods", body: TestAPI.pod("p\(i)")) }
        #expect(try await Self.take(20, live).count == 20)
        let late = small.watch(.pods, namespace: nil, options: ListOptions(resourceVersion: start))
        let replayed = try await Self.take(20, late)
        #expect(Self.names(replayed) == (0..<20).map { "ADDED p\($0)" })
        #expect(replayed.map(\.revision) == replayed.map(\.revision).sorted())
    }

    @Test("a watcher that goes away is detached from the cache")
    func detach() async throws {
        let api = try TestAPI()
        defer { api.remove() }
        let start = try await api.registry.store.currentRevision()
        let cache = try #require(api.registry.watchCache(.pods))
        let task = Task {
            for await _ in api.registry.watch(.pods, namespace: nil, options: ListOptions(resourceVersion: start)) {}
        }
        var attached = false
        for _ in 0..<100 where !attached {
            attached = await cache.watcherCount == 1
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(attached)
        task.cancel()
        var detached = false
        for _ in 0..<100 where !detached {
            detached = await cache.watcherCount == 0
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(detached)
    }
}

import APIRegistry
import APIServer
import Foundation
import PodAPI
import Testing

@Suite("Watches")
struct WatchTests {
    /// The next `count` events of `stream` (a test fails rather than hangs after 10 s).
    static func take(_ count: Int, _ stream: AsyncStream<WatchEvent>) async throws -> [WatchEvent] {
        try await withThrowingTaskGroup(of: [WatchEvent].self) { group in
            group.addTask {
                var out: [WatchEvent] = []
                for await e in stream {
                    out.append(e)
                    if out.count == count { break }
                }
                return out
            }
            group.addTask {
                try await Task.sleep(for: .seconds(10))
                throw CancellationError()
            }
            let result = try await group.next()!
            group.cancelAll()
            return result
        }
    }

    @Test("a watch from a version replays later changes, then streams new ones; a node's selector turns a bind into ADDED")
    func replayAndLive() async throws {
        let api = try TestAPI()
        defer { api.remove() }
        let created = await api.call("POST", "/api/v1/namespaces/default/pods", body: TestAPI.pod("web"))
        let rv = created.body["metadata"]?.string("resourceVersion") ?? ""
        _ = await api.call("POST", "/api/v1/namespaces/default/pods/web/binding", body: #"{"target":{"name":"node-1"}}"#)
        let all = try #require(await api.watch("/api/v1/pods", query: ["resourceVersion": rv]))
        let node = try #require(
            await api.watch("/api/v1/pods", query: ["resourceVersion": rv, "fieldSelector": "spec.nodeName=node-1"], token: "node1-token"))
        _ = await api.call("DELETE", "/api/v1/namespaces/default/pods/web", body: #"{"gracePeriodSeconds":0}"#)
        let events = try await Self.take(2, all)
        #expect(events.map(\.type) == [.modified, .deleted])
        let nodeEvents = try await Self.take(2, node)
        #expect(nodeEvents.map(\.type) == [.added, .deleted])
        #expect(nodeEvents[0].object["spec"]?.string("nodeName") == "node-1")
        #expect(Int64(nodeEvents[1].object["metadata"]?.string("resourceVersion") ?? "") == nodeEvents[1].revision)
    }

    @Test("a watch without a version starts with every object as ADDED; bookmarks come when allowed")
    func initialAndBookmarks() async throws {
        let api = try TestAPI()
        defer { api.remove() }
        _ = await api.call("POST", "/api/v1/namespaces/default/pods", body: TestAPI.pod("a"))
        _ = await api.call("POST", "/api/v1/namespaces/default/pods", body: TestAPI.pod("b"))
        let request = APIRequest(
            method: "GET", path: "/api/v1/pods", query: ["watch": "true", "allowWatchBookmarks": "true", "timeoutSeconds": "3"],
            authorization: "Bearer admin-token")
        guard case .watch(let events, _, _, _, _) = await api.handler.handle(request) else {
            Issue.record("not a watch")
            return
        }
        let first = try await Self.take(2, events)
        #expect(first.map(\.type) == [.added, .added])
        #expect(Set(first.map { $0.object["metadata"]?.string("name") ?? "" }) == ["a", "b"])
    }

    @Test("a watch from a compacted version ends with a 410 Expired Status; from a future one with a 504")
    func expired() async throws {
        let api = try TestAPI(retainedChanges: 10)
        defer { api.remove() }
        for i in 0..<1_005 {
            _ = await api.call("POST", "/api/v1/namespaces/default/events", body: #"{"metadata":{"name":"e\#(i)"},"reason":"x"}"#)
        }
        let old = try #require(await api.watch("/api/v1/pods", query: ["resourceVersion": "2"]))
        let events = try await Self.take(1, old)
        #expect(events.first?.type == .error)
        #expect(events.first?.object.integer("code") == 410)
        #expect(events.first?.object.string("reason") == "Expired")
        let future = try #require(await api.watch("/api/v1/pods", query: ["resourceVersion": "999999"]))
        #expect(try await Self.take(1, future).first?.object.integer("code") == 504)
    }
}

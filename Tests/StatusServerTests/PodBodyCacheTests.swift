import CLIKit
import Foundation
import PodAPI
import PodFixtures
import Testing

@testable import StatusServer

/// The encoded pods the socket keeps: the bytes are always what JSONEncoder makes of the pod as
/// it is now.
@Suite("Pod bodies reused while unchanged")
struct PodBodyCacheTests {
    static func encoded(_ value: some Encodable) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(value))
    }

    static func web(phase: String = "Running", restarts: Int32 = 0) -> Pod {
        Fixtures.pod(
            "web", statuses: [Fixtures.running("app", restarts: restarts), Fixtures.running("sidecar", image: "busybox:1.36")],
            phase: phase, conditions: Fixtures.conditions(ready: true, gate: true), readinessGates: [WellKnown.inPlaceUpdateReady])
    }

    @Test("a pod's body is JSONEncoder's, and a pod that changed is encoded again")
    func podBody() throws {
        let cache = PodBodyCache()
        let web = Self.web()
        #expect(Array(try cache.body(of: web).readableBytesView) == (try Self.encoded(web)))
        #expect(Array(try cache.body(of: web).readableBytesView) == (try Self.encoded(web)))
        let restarted = Self.web(restarts: 1)
        #expect(Array(try cache.body(of: restarted).readableBytesView) == (try Self.encoded(restarted)))
        var failed = restarted
        failed.status?.phase = "Failed"
        #expect(Array(try cache.body(of: failed).readableBytesView) == (try Self.encoded(failed)))
    }

    @Test("the list is JSONEncoder's PodList, in the order given, with changed pods encoded again")
    func listBody() throws {
        let cache = PodBodyCache()
        let db = Fixtures.pod("db", namespace: "data", statuses: [Fixtures.running("postgres", image: "postgres:16")])
        let web = Self.web()
        #expect(Array(try cache.list([]).readableBytesView) == (try Self.encoded(PodList(items: []))))
        #expect(Array(try cache.list([db, web]).readableBytesView) == (try Self.encoded(PodList(items: [db, web]))))
        _ = try cache.body(of: web)
        let restarted = Self.web(restarts: 2)
        #expect(Array(try cache.list([db, restarted]).readableBytesView) == (try Self.encoded(PodList(items: [db, restarted]))))
        #expect(Array(try cache.list([restarted]).readableBytesView) == (try Self.encoded(PodList(items: [restarted]))))
        #expect(Array(try cache.body(of: db).readableBytesView) == (try Self.encoded(db)))
    }

    @Test("through the socket: a pod's newest status after it changed, 404 once it is gone")
    func socketServesChanges() async throws {
        let provider = FakeProvider(pods: [Self.web()])
        try await ServerHarness.withServer(provider) { _, client in
            #expect(try await client.pod(namespace: "default", name: "web").status?.containerStatuses?.first?.restartCount == 0)
            #expect(try await client.pods().items.count == 1)

            await provider.setPods([Self.web(restarts: 3)])
            #expect(try await client.pod(namespace: "default", name: "web").status?.containerStatuses?.first?.restartCount == 3)
            #expect(try await client.pods().items.first?.status?.containerStatuses?.first?.restartCount == 3)
            let (code, body) = try await client.fetch("/v1/pods/default/web")
            #expect(code == 200)
            #expect(Array(body) == (try Self.encoded(Self.web(restarts: 3))))

            await provider.setPods([])
            #expect(try await client.fetch("/v1/pods/default/web").status == 404)
            #expect(try await client.pods().items.isEmpty)
        }
    }
}

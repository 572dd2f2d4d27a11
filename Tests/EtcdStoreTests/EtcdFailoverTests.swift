import APIStore
import EtcdClusterLock
import EtcdStore
import Foundation
import Testing

@Suite(
    "EtcdKeyValueStore with a member down", .serialized,
    .enabled(
        if: EtcdTestEnvironment.endpointList != nil,
        "needs an etcd cluster: INPLACED_ETCD_ENDPOINTS=… (scripts/etcd-cluster.sh up DIR prints it)"))
struct EtcdFailoverTests {
    @Test("a dead first endpoint (127.0.0.1:1): calls and watches go to the next member")
    func deadFirstEndpoint() async throws {
        let dead = try EtcdEndpoint(parsing: "127.0.0.1:1")
        try await EtcdTestEnvironment.withStore(endpoints: [dead] + EtcdTestEnvironment.endpoints()) { store in
            let prefix = EtcdTestEnvironment.uniquePrefix()
            let started = ContinuousClock.now
            let a = try await store.create(prefix + "a", value: [1])
            // Refused at once, the dead member is passed over; it does not wait out the deadline.
            #expect(ContinuousClock.now - started < .seconds(EtcdTestEnvironment.callTimeoutSeconds))
            #expect(store.client.preferredIndex != 0)
            let recorder = EventRecorder(store.watch(prefix: prefix, after: a.modRevision - 1))
            defer { recorder.cancel() }
            let a2 = try await store.update(prefix + "a", value: [2], expectedRevision: a.modRevision)
            #expect(try await store.get(prefix + "a").value == a2)
            #expect(await EtcdTestEnvironment.eventually(within: 10) { recorder.events.count == 2 })
            #expect(recorder.events.map(\.value) == [a, a2])
            _ = try await store.delete(prefix + "a", expectedRevision: a2.modRevision)
        }
    }

    @Test("every endpoint dead: .unavailable naming the call and each member")
    func allDead() async throws {
        let dead = try [EtcdEndpoint(parsing: "127.0.0.1:1"), EtcdEndpoint(parsing: "127.0.0.1:2")]
        try await EtcdTestEnvironment.withStore(endpoints: dead) { store in
            do {
                _ = try await store.get("/inplaced-test/x")
                Issue.record("get succeeded with no member")
            } catch {
                guard case .unavailable(let call, let reason) = error as? StoreError else {
                    Issue.record("unexpected \(error)")
                    return
                }
                #expect(call == "etcd KV.Range key=/inplaced-test/x")
                #expect(reason.contains("127.0.0.1:1") && reason.contains("127.0.0.1:2"))
            }
        }
    }

    @Test(
        "member 1 stopped (scripts/etcd-cluster.sh stop-member): calls and a running watch continue on the others",
        .enabled(
            if: EtcdTestEnvironment.clusterDirectory != nil, "needs INPLACED_ETCD_DIR, the directory given to scripts/etcd-cluster.sh up"))
    func stoppedMember() async throws {
        let directory = try #require(EtcdTestEnvironment.clusterDirectory)
        try await EtcdClusterLock.exclusive { try await stopAndStartMember(directory) }
    }

    func stopAndStartMember(_ directory: String) async throws {
        try await EtcdTestEnvironment.withStore { store in
            let prefix = EtcdTestEnvironment.uniquePrefix()
            let a = try await store.create(prefix + "a", value: [1])
            #expect(store.client.preferredIndex == 0)
            let recorder = EventRecorder(store.watch(prefix: prefix, after: a.modRevision))
            defer { recorder.cancel() }
            try #require(try await EtcdClusterScript.run(["stop-member", directory, "1"]) == 0)
            do {
                let started = ContinuousClock.now
                let a2 = try await store.update(prefix + "a", value: [2], expectedRevision: a.modRevision)
                let b = try await store.create(prefix + "b", value: [3])
                #expect(ContinuousClock.now - started < .seconds(10))
                #expect(try await store.list(prefix: prefix).values == [a2, b])
                #expect(await EtcdTestEnvironment.eventually(within: 15) { recorder.events.count == 2 })
                #expect(recorder.events.map(\.value) == [a2, b])
                #expect(recorder.error == nil)
            } catch {
                _ = try? await EtcdClusterScript.run(["start-member", directory, "1"])
                throw error
            }
            try #require(try await EtcdClusterScript.run(["start-member", directory, "1"]) == 0)
        }
    }
}

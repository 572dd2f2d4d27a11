import APIStore
import EtcdClusterLock
import EtcdStore
import Foundation
import Testing

@Suite(
    "EtcdKeyValueStore against a real etcd cluster", .serialized,
    .enabled(
        if: EtcdTestEnvironment.endpointList != nil,
        "needs an etcd cluster: INPLACED_ETCD_ENDPOINTS=… (scripts/etcd-cluster.sh up DIR prints it)"))
struct EtcdKeyValueStoreTests {
    @Test("create, get, list, update with compare-and-swap, delete with a precondition")
    func crud() async throws {
        try await EtcdTestEnvironment.withStore { store in
            let prefix = EtcdTestEnvironment.uniquePrefix()
            let a = try await store.create(prefix + "a", value: Array("{\"v\":1}".utf8))
            #expect(a.createRevision == a.modRevision)
            let got = try await store.get(prefix + "a")
            #expect(got.value == a)
            #expect(got.revision >= a.modRevision)
            await #expect(throws: StoreError.alreadyExists(key: prefix + "a")) {
                _ = try await store.create(prefix + "a", value: [1])
            }
            // The same bytes again: an earlier attempt of this create (sent again after etcd's
            // "request timed out") that was applied; it succeeds with the stored revision.
            #expect(try await store.create(prefix + "a", value: Array("{\"v\":1}".utf8)) == a)

            let b = try await store.create(prefix + "b", value: [2])
            #expect(b.modRevision > a.modRevision)
            // A sibling just past the prefix's range end ("/…/" + 1 = "/…0") is not listed.
            _ = try await store.create(String(prefix.dropLast()) + "0", value: [9])
            let listed = try await store.list(prefix: prefix)
            #expect(listed.values.map(\.key) == [prefix + "a", prefix + "b"])
            #expect(listed.revision >= b.modRevision + 1)

            let a2 = try await store.update(prefix + "a", value: Array("{\"v\":2}".utf8), expectedRevision: a.modRevision)
            #expect(a2.createRevision == a.createRevision)
            #expect(a2.modRevision > a.modRevision)
            await #expect(throws: StoreError.conflict(key: prefix + "a", current: a2)) {
                _ = try await store.update(prefix + "a", value: [3], expectedRevision: a.modRevision)
            }
            // An update sent again after it was applied finds its own bytes: it succeeded.
            #expect(try await store.update(prefix + "a", value: Array("{\"v\":2}".utf8), expectedRevision: a.modRevision) == a2)
            await #expect(throws: StoreError.notFound(key: prefix + "none")) {
                _ = try await store.update(prefix + "none", value: [3], expectedRevision: 0)
            }

            await #expect(throws: StoreError.conflict(key: prefix + "a", current: a2)) {
                _ = try await store.delete(prefix + "a", expectedRevision: a.modRevision)
            }
            let removed = try await store.delete(prefix + "a", expectedRevision: a2.modRevision)
            #expect(removed.value == a2.value)
            #expect(removed.createRevision == a.createRevision)
            #expect(removed.modRevision > a2.modRevision)
            #expect(try await store.currentRevision() >= removed.modRevision)
            #expect(try await store.get(prefix + "a").value == nil)
            await #expect(throws: StoreError.notFound(key: prefix + "a")) {
                _ = try await store.delete(prefix + "a", expectedRevision: nil)
            }
            let removedB = try await store.delete(prefix + "b", expectedRevision: nil)
            #expect(removedB.value == [2])
            _ = try await store.delete(String(prefix.dropLast()) + "0", expectedRevision: nil)
            #expect(try await store.list(prefix: prefix).values.isEmpty)
        }
    }

    @Test("a watch from a revision replays the later events in order, then streams live ones")
    func watchReplaysThenStreams() async throws {
        try await EtcdTestEnvironment.withStore { store in
            let prefix = EtcdTestEnvironment.uniquePrefix()
            let a1 = try await store.create(prefix + "a", value: [1])
            let a2 = try await store.update(prefix + "a", value: [2], expectedRevision: a1.modRevision)
            let b1 = try await store.create(prefix + "b", value: [3])
            let bGone = try await store.delete(prefix + "b", expectedRevision: nil)

            let recorder = EventRecorder(store.watch(prefix: prefix, after: a1.modRevision))
            defer { recorder.cancel() }
            #expect(await EtcdTestEnvironment.eventually(within: 10) { recorder.events.count >= 3 })
            let replayed = recorder.events
            try #require(replayed.count == 3)
            #expect(replayed[0] == StoreEvent(kind: .put, value: a2, previous: a1))
            #expect(replayed[1] == StoreEvent(kind: .put, value: b1))
            #expect(replayed[2].kind == .delete)
            #expect(replayed[2].value == bGone)
            #expect(replayed.map(\.revision) == [a2.modRevision, b1.modRevision, bGone.modRevision])

            let c1 = try await store.create(prefix + "c", value: [4])
            let a3 = try await store.update(prefix + "a", value: [5], expectedRevision: a2.modRevision)
            #expect(await EtcdTestEnvironment.eventually(within: 10) { recorder.events.count >= 5 })
            #expect(recorder.events.dropFirst(3).map(\.value) == [c1, a3])
            #expect(recorder.events.count == 5)
            #expect(recorder.error == nil)
        }
    }

    @Test("a watch from a compacted revision throws .compacted")
    func watchFromCompactedRevision() async throws {
        // Compaction is cluster-wide: no fleet may be watching the cluster meanwhile.
        try await EtcdClusterLock.exclusive { try await compactAndWatch() }
    }

    func compactAndWatch() async throws {
        try await EtcdTestEnvironment.withStore { store in
            let prefix = EtcdTestEnvironment.uniquePrefix()
            let first = try await store.create(prefix + "k", value: [0])
            var last = first
            for value in 1...3 { last = try await store.update(prefix + "k", value: [UInt8(value)], expectedRevision: last.modRevision) }
            try await store.compact(revision: last.modRevision)

            let recorder = EventRecorder(store.watch(prefix: prefix, after: first.modRevision))
            defer { recorder.cancel() }
            #expect(await EtcdTestEnvironment.eventually(within: 10) { recorder.finished })
            let error = try #require(recorder.error as? StoreError)
            #expect(error == .compacted(requested: first.modRevision, compactRevision: last.modRevision))
            #expect(recorder.events.isEmpty)

            // From the compaction revision on, the watch works.
            let live = EventRecorder(store.watch(prefix: prefix, after: last.modRevision))
            defer { live.cancel() }
            let next = try await store.update(prefix + "k", value: [9], expectedRevision: last.modRevision)
            #expect(await EtcdTestEnvironment.eventually(within: 10) { live.events.count == 1 })
            #expect(live.events.first?.value == next)
            #expect(live.error == nil)
        }
    }
}

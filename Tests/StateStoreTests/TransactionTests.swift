import Foundation
import Testing

@testable import StateStore

private struct Boom: Error, Equatable {}

@Suite("Transactions")
struct TransactionTests {
    @Test("a body that throws midway rolls back everything it wrote, and its error comes out unchanged")
    func rollbackOnCallerError() throws {
        let store = try storeWithPod()
        try store.write { try $0.saveContainer(makeContainer()) }
        let before = try Snapshot(store)

        #expect(throws: Boom.self) {
            try store.write { tx throws in
                var pod = makePod()
                pod.terminalPhase = "Failed"
                try tx.savePod(pod)
                try tx.saveContainer(makeContainer(name: "second"))
                try tx.deleteContainer(podUID: "uid-1", name: "app")
                try tx.insertUpdate(makeUpdate())
                try tx.appendEvent(makeEvent())
                _ = try tx.enqueueStatus(podUID: "uid-1", namespace: "default", name: "web", statusJSON: "{}", at: t0)
                // The transaction sees its own writes...
                #expect(try tx.containers(podUID: "uid-1").map(\.name) == ["second"])
                throw Boom()
            }
        }
        // ...and none of them is kept.
        #expect(try Snapshot(store) == before)
    }

    @Test("a store error midway rolls back the writes before it")
    func rollbackOnStoreError() throws {
        let store = try storeWithPod()
        let before = try Snapshot(store)
        let error = #expect(throws: StoreError.self) {
            try store.write { tx throws in
                try tx.saveContainer(makeContainer())
                try tx.saveContainer(makeContainer(podUID: "ghost"))  // foreign key violation
            }
        }
        #expect({ if case .database(operation: "saveContainer", table: "containers", _)? = error { true } else { false } }())
        #expect(try Snapshot(store) == before)
    }

    @Test("write returns the body's value; reads see committed data")
    func returnsValue() throws {
        let store = try StateStore.inMemory()
        let uid = try store.write { tx -> String in
            try tx.savePod(makePod())
            return "uid-1"
        }
        #expect(try store.read { try $0.pod(uid: uid)?.name } == "web")
    }

    @Test("async variants write and read; concurrent writers are serialized and all land")
    func asyncVariants() async throws {
        try await withTemporaryDirectory { dir in
            let store = try StateStore(path: dir + "/s.db")
            try await store.writeAsync { try $0.savePod(makePod()) }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for i in 0..<20 {
                    group.addTask {
                        try await store.writeAsync { tx throws in
                            try tx.appendEvent(makeEvent(message: "m\(i)", at: at(Double(i))))
                            _ = try tx.enqueueStatus(
                                podUID: "uid-1", namespace: "default", name: "web",
                                statusJSON: "s\(i)", at: at(Double(i)))
                        }
                    }
                }
                try await group.waitForAll()
            }
            let (events, entry) = try await store.readAsync { r throws in
                (try r.events(limit: 100), try r.outboxEntry(podUID: "uid-1"))
            }
            #expect(events.count == 20)
            #expect(entry?.seq == 20)
            try store.close()
        }
    }

    @Test("a closed store refuses work with a StoreError")
    func closedStore() throws {
        try withTemporaryDirectory { dir in
            let store = try StateStore(path: dir + "/s.db")
            try store.close()
            #expect(throws: StoreError.self) { try store.read { try $0.pods() } }
        }
    }
}

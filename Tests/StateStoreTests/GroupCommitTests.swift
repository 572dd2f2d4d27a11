import Foundation
import Synchronization
import Testing

@testable import StateStore

private struct Boom: Error, Equatable {}

/// A flag set by one task and read by another (Atomic is noncopyable; closures share this box).
private final class Flag: Sendable {
    private let value = Atomic(false)
    func set() { value.store(true, ordering: .sequentiallyConsistent) }
    var isSet: Bool { value.load(ordering: .sequentiallyConsistent) }
}

/// `StateStore.writeGrouped`: writes queued behind a transaction share the next one, each still
/// all or nothing.
@Suite("Group commit")
struct GroupCommitTests {
    /// Takes the writer as `writeGrouped` does when nothing else writes (`tryLead`, a plain
    /// write, `endLead`) on a thread of its own, holds it until `release` is set, and returns once
    /// it holds it. The hold sleeps on that thread, never on one of the test runner's cooperative
    /// threads: two tests holding both of those would leave no thread to set `release`.
    fileprivate static func holdTheWriter(_ store: StateStore, release: Flag) async throws -> Task<Void, any Error> {
        let entered = Flag()
        let done = AsyncThrowingStream<Void, any Error>.makeStream()
        let thread = Thread {
            #expect(store.group.tryLead())
            do {
                try store.write { tx in
                    entered.set()
                    while !release.isSet { usleep(1_000) }
                    try tx.saveContainer(makeContainer(name: "lead"))
                }
                store.group.endLead()
                done.continuation.finish()
            } catch {
                store.group.endLead()
                done.continuation.finish(throwing: error)
            }
        }
        thread.start()
        while !entered.isSet { try await Task.sleep(nanoseconds: 1_000_000) }
        return Task { for try await _ in done.stream {} }
    }

    @Test("writes queued behind a transaction share the next one; one that throws is rolled back alone, the others commit")
    func queuedWritesShareOneTransaction() async throws {
        try await withTemporaryDirectory { dir in
            let store = try StateStore(path: dir + "/state.db")
            defer { try? store.close() }
            try store.write { try $0.savePod(makePod()) }
            let before = store.group.counts
            let release = Flag()
            let leader = try await Self.holdTheWriter(store, release: release)
            let writers = (0..<20).map { i in
                Task { try await store.writeGrouped { tx in try tx.saveContainer(makeContainer(name: "c\(i)")) } }
            }
            let failing = Task {
                try await store.writeGrouped { tx -> Int in
                    try tx.saveContainer(makeContainer(name: "doomed"))
                    try tx.appendEvent(makeEvent(reason: "Doomed"))
                    throw Boom()
                }
            }
            while store.group.pendingCount < 21 { try await Task.sleep(nanoseconds: 1_000_000) }
            // Nothing queued is written while the transaction before it is open.
            #expect(try store.read { try $0.containers(podUID: "uid-1") }.isEmpty)
            release.set()
            try await leader.value
            for w in writers { try await w.value }
            await #expect(throws: Boom.self) { try await failing.value }
            let names = try store.read { try $0.containers(podUID: "uid-1") }.map(\.name).sorted()
            #expect(names == (["lead"] + (0..<20).map { "c\($0)" }).sorted())
            #expect(try store.read { try $0.events(podUID: "uid-1", limit: 100) }.isEmpty)
            // The leader wrote alone; the 21 queued writes went in one transaction.
            let after = store.group.counts
            #expect(after.alone - before.alone == 1)
            #expect(after.shared - before.shared == 1)
            #expect(after.carried - before.carried == 21)
        }
    }

    @Test("a write with nothing else writing is a transaction of its own, at once, and returns the body's value")
    func aLoneWriteIsWrittenAtOnce() async throws {
        let store = try storeWithPod()
        let before = store.group.counts
        let id = try await store.writeGrouped { tx in try tx.insertUpdate(makeUpdate()) }
        #expect(try store.read { try $0.updates(podUID: "uid-1") }.map(\.id) == [id])
        await #expect(throws: Boom.self) {
            try await store.writeGrouped { tx in
                try tx.saveContainer(makeContainer())
                throw Boom()
            }
        }
        #expect(try store.read { try $0.containers(podUID: "uid-1") }.isEmpty)
        #expect(store.group.counts.alone - before.alone == 2)
        #expect(store.group.counts.shared == before.shared)
    }

    @Test("a store error in a queued write names the call and undoes only that write")
    func aQueuedStoreErrorIsThatWritesAlone() async throws {
        try await withTemporaryDirectory { dir in
            let store = try StateStore(path: dir + "/state.db")
            defer { try? store.close() }
            try store.write { try $0.savePod(makePod()) }
            let release = Flag()
            let leader = try await Self.holdTheWriter(store, release: release)
            let good = Task { try await store.writeGrouped { tx in try tx.saveContainer(makeContainer(name: "good")) } }
            let ghost = Task {
                try await store.writeGrouped { tx in
                    try tx.saveContainer(makeContainer(name: "half"))
                    try tx.saveContainer(makeContainer(podUID: "ghost"))  // foreign key violation
                }
            }
            while store.group.pendingCount < 2 { try await Task.sleep(nanoseconds: 1_000_000) }
            release.set()
            try await leader.value
            try await good.value
            let error = await #expect(throws: StoreError.self) { try await ghost.value }
            #expect({ if case .database(operation: "saveContainer", table: "containers", _)? = error { true } else { false } }())
            #expect(try store.read { try $0.containers(podUID: "uid-1") }.map(\.name).sorted() == ["good", "lead"])
        }
    }

    @Test("a grouped write asked for by a cancelled task is still committed")
    func aCancelledCallerStillCommits() async throws {
        let store = try storeWithPod()
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            try await store.writeGrouped { tx in try tx.saveContainer(makeContainer()) }
        }
        try await task.value
        #expect(try store.read { try $0.containers(podUID: "uid-1") }.map(\.name) == ["app"])
    }

    @Test("a write the database refuses is recorded until one goes through; the caller's own error is not")
    func refusedWritesAreRecorded() async throws {
        try await withTemporaryDirectory { dir in
            let store = try StateStore(path: dir + "/state.db")
            defer { try? store.close() }
            try store.write { try $0.savePod(makePod()) }
            #expect(store.lastWriteFailure == nil)
            struct CallersOwn: Error {}
            #expect(throws: CallersOwn.self) { try store.write { _ in throw CallersOwn() } }
            #expect(store.lastWriteFailure == nil)
            // A foreign key violation: SQLite refuses the statement.
            #expect(throws: StoreError.self) { try store.write { try $0.saveContainer(makeContainer(podUID: "ghost")) } }
            await #expect(throws: StoreError.self) {
                try await store.writeGrouped { try $0.saveContainer(makeContainer(podUID: "ghost")) }
            }
            let failure = try #require(store.lastWriteFailure)
            #expect(failure.consecutive == 2)
            #expect(failure.error.contains("saveContainer"))
            try await store.writeAsync { try $0.saveContainer(makeContainer()) }
            #expect(store.lastWriteFailure == nil)
        }
    }
}

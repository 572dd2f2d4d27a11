import Foundation
import Testing

@testable import StateStore

@Suite("Status outbox")
struct OutboxTests {
    private func enqueue(_ tx: StoreTransaction, _ status: String, uid: String = "uid-1", at time: Date = t0) throws -> Int64 {
        try tx.enqueueStatus(podUID: uid, namespace: "default", name: "web", statusJSON: status, at: time)
    }

    @Test("three enqueues leave one row, seq 3, holding the newest status")
    func coalescing() throws {
        let store = try StateStore.inMemory()
        let seqs = try store.write { tx throws in
            [try enqueue(tx, "s1", at: at(0)), try enqueue(tx, "s2", at: at(1)), try enqueue(tx, "s3", at: at(2))]
        }
        #expect(seqs == [1, 2, 3])
        let pending = try store.read { try $0.pendingStatuses(limit: 10, now: at(2)) }
        #expect(
            pending == [
                OutboxRecord(
                    podUID: "uid-1", namespace: "default", name: "web", seq: 3,
                    statusJSON: "s3", enqueuedAt: at(2))
            ])
        #expect(try store.read { try $0.outboxDepth() } == 1)
    }

    @Test("markDelivered with an old seq keeps the newer row; with the current seq removes it")
    func markDeliveredMatchesSeq() throws {
        let store = try StateStore.inMemory()
        let old = try store.write { try enqueue($0, "old") }
        let new = try store.write { try enqueue($0, "new") }  // queued while `old` was in flight
        #expect(try store.write { try $0.markDelivered(podUID: "uid-1", seq: old) } == false)
        #expect(try store.read { try $0.outboxEntry(podUID: "uid-1") }?.statusJSON == "new")
        #expect(try store.write { try $0.markDelivered(podUID: "uid-1", seq: new) })
        #expect(try store.read { try $0.outboxDepth() } == 0)
    }

    @Test("seq keeps increasing after a delivery")
    func seqMonotonicAcrossDeliveries() throws {
        let store = try storeWithPod()
        let first = try store.write { try enqueue($0, "a") }
        try store.write { _ = try $0.markDelivered(podUID: "uid-1", seq: first) }
        let second = try store.write { try enqueue($0, "b") }
        #expect(second == first + 1)
        // Per pod: another pod starts at 1.
        #expect(try store.write { try enqueue($0, "x", uid: "uid-2") } == 1)
    }

    @Test("a failed delivery backs off: not due before nextAttemptAt, attempts and error recorded")
    func deliveryFailureBacksOff() throws {
        let store = try StateStore.inMemory()
        let seq = try store.write { try enqueue($0, "s", at: at(0)) }
        let updated = try store.write {
            try $0.recordDeliveryFailure(podUID: "uid-1", seq: seq, error: "503 Service Unavailable", nextAttemptAt: at(10))
        }
        #expect(updated)
        try store.read { r throws in
            #expect(try r.pendingStatuses(limit: 10, now: at(9.999)).isEmpty)
            let due = try r.pendingStatuses(limit: 10, now: at(10))
            #expect(due.count == 1)
            #expect(due.first?.attempts == 1)
            #expect(due.first?.lastError == "503 Service Unavailable")
            #expect(due.first?.nextAttemptAt == at(10))
            #expect(try r.outboxDepth() == 1)  // counted even when not due
        }
        // A newer status keeps the backoff of the pod's delivery.
        let newer = try store.write { try enqueue($0, "s2", at: at(1)) }
        let entry = try store.read { try $0.outboxEntry(podUID: "uid-1") }
        #expect(entry?.seq == newer)
        #expect(entry?.attempts == 1)
        #expect(entry?.nextAttemptAt == at(10))
        // A failure reported for the replaced seq changes nothing.
        #expect(
            try store.write {
                try $0.recordDeliveryFailure(podUID: "uid-1", seq: seq, error: "late", nextAttemptAt: at(100))
            } == false)
        #expect(try store.read { try $0.outboxEntry(podUID: "uid-1") } == entry)
    }

    @Test("pendingStatuses returns the longest waiting first, up to limit")
    func pendingOrderAndLimit() throws {
        let store = try StateStore.inMemory()
        try store.write { tx throws in
            _ = try enqueue(tx, "c", uid: "c", at: at(3))
            _ = try enqueue(tx, "a", uid: "a", at: at(1))
            _ = try enqueue(tx, "b", uid: "b", at: at(2))
        }
        #expect(try store.read { try $0.pendingStatuses(limit: 2, now: at(5)) }.map(\.podUID) == ["a", "b"])
    }

    @Test("makeOutboxDue makes every status waiting out a back-off due, but those of the excluded pods")
    func makeDueExcept() throws {
        let store = try StateStore.inMemory()
        try store.write { tx throws in
            for uid in ["a", "b", "c"] {
                let seq = try enqueue(tx, uid, uid: uid, at: at(0))
                try tx.recordDeliveryFailure(podUID: uid, seq: seq, error: "503", nextAttemptAt: at(100))
            }
            _ = try enqueue(tx, "d", uid: "d", at: at(0))  // due already
        }
        #expect(try store.write { try $0.makeOutboxDue(except: ["b"]) } == 2)
        #expect(try store.read { try $0.pendingStatuses(limit: 10, now: at(1)) }.map(\.podUID) == ["a", "c", "d"])
        let waiting = try store.read { try $0.outboxEntry(podUID: "b") }
        #expect(waiting?.nextAttemptAt == at(100))
        #expect(waiting?.attempts == 1)
        #expect(try store.write { try $0.makeOutboxDue() } == 1)
        #expect(try store.read { try $0.pendingStatuses(limit: 10, now: at(1)) }.count == 4)
    }
}

import Foundation
import Testing

@testable import StateStore

@Suite("Events")
struct EventTests {
    @Test("an identical event is aggregated: count + 1, lastTimestamp moves, firstTimestamp stays")
    func aggregation() throws {
        let store = try StateStore.inMemory()
        let first = try store.write { try $0.appendEvent(makeEvent(reason: "BackOff", message: "Back-off restarting", at: at(0))) }
        #expect(first.count == 1)
        #expect(first.id != nil)
        let second = try store.write { try $0.appendEvent(makeEvent(reason: "BackOff", message: "Back-off restarting", at: at(10))) }
        let third = try store.write { try $0.appendEvent(makeEvent(reason: "BackOff", message: "Back-off restarting", at: at(20))) }
        #expect(second.id == first.id)
        #expect(third.count == 3)
        #expect(third.firstTimestamp == at(0))
        #expect(third.lastTimestamp == at(20))
        let events = try store.read { try $0.events(podUID: "uid-1", limit: 10) }
        #expect(events == [third])
    }

    @Test("events differing in message, reason, type, fieldPath (nil included) or pod are kept apart")
    func noAggregationAcrossKeys() throws {
        let store = try StateStore.inMemory()
        var warning = makeEvent()
        warning.type = "Warning"
        try store.write { tx throws in
            try tx.appendEvent(makeEvent())
            try tx.appendEvent(makeEvent(message: "other message"))
            try tx.appendEvent(makeEvent(reason: "Pulling"))
            try tx.appendEvent(makeEvent(fieldPath: nil))
            try tx.appendEvent(makeEvent(fieldPath: "spec.containers{sidecar}"))
            try tx.appendEvent(warning)
            try tx.appendEvent(makeEvent(podUID: "uid-2"))
            // And these two aggregate with the first two pod-level/container-level ones.
            try tx.appendEvent(makeEvent(fieldPath: nil, at: at(1)))
            try tx.appendEvent(makeEvent(at: at(1)))
        }
        let events = try store.read { try $0.events(limit: 100) }
        #expect(events.count == 7)
        #expect(events.map(\.count).reduce(0, +) == 9)
        #expect(try store.read { try $0.events(podUID: "uid-2", limit: 100) }.count == 1)
    }

    @Test("events(limit:) returns the newest `limit`, oldest first")
    func newestLimitOldestFirst() throws {
        let store = try StateStore.inMemory()
        try store.write { tx throws in
            for i in 0..<10 {
                try tx.appendEvent(makeEvent(message: "m\(i)", at: at(Double(i))))
            }
        }
        let events = try store.read { try $0.events(podUID: "uid-1", limit: 3) }
        #expect(events.map(\.message) == ["m7", "m8", "m9"])
        #expect(try store.read { try $0.events(podUID: nil, limit: 0) }.isEmpty)
    }

    @Test("an aggregated event moves to the newest position")
    func aggregatedEventOrdersByLastTimestamp() throws {
        let store = try StateStore.inMemory()
        try store.write { tx throws in
            try tx.appendEvent(makeEvent(message: "a", at: at(0)))
            try tx.appendEvent(makeEvent(message: "b", at: at(1)))
            try tx.appendEvent(makeEvent(message: "a", at: at(2)))
        }
        #expect(try store.read { try $0.events(limit: 10) }.map(\.message) == ["b", "a"])
    }

    @Test("a pod keeps at most maxEventsPerPod events, the oldest pruned")
    func perPodPruning() throws {
        let store = try StateStore.inMemory(options: StoreOptions(maxEventsPerPod: 5))
        try store.write { tx throws in
            for i in 0..<12 {
                try tx.appendEvent(makeEvent(message: "m\(i)", at: at(Double(i))))
            }
            try tx.appendEvent(makeEvent(podUID: "uid-2", message: "other pod", at: at(0)))
        }
        let events = try store.read { try $0.events(podUID: "uid-1", limit: 100) }
        #expect(events.map(\.message) == ["m7", "m8", "m9", "m10", "m11"])
        #expect(try store.read { try $0.events(podUID: "uid-2", limit: 100) }.count == 1)
    }

    @Test("at most maxEvents events are kept in all, the oldest pruned")
    func globalPruning() throws {
        let store = try StateStore.inMemory(options: StoreOptions(maxEventsPerPod: 100, maxEvents: 4))
        try store.write { tx throws in
            for i in 0..<6 {
                try tx.appendEvent(makeEvent(podUID: "uid-\(i)", at: at(Double(i))))
            }
        }
        #expect(try store.read { try $0.events(limit: 100) }.map(\.podUID) == ["uid-2", "uid-3", "uid-4", "uid-5"])
    }

    @Test("a large cap is kept within 256 rows, a few deleted per event: no commit deletes hundreds")
    func largeCapIsPrunedGradually() throws {
        let cap = 1024
        let store = try StateStore.inMemory(options: StoreOptions(maxEventsPerPod: 10, maxEvents: cap))
        func count() throws -> Int { try store.rowCount("events") }
        var previous = 0
        var largestDrop = 0
        var largest = 0
        // One event per transaction, as the agent records them, each for a pod of its own.
        for i in 0..<3000 {
            try store.write { try $0.appendEvent(makeEvent(podUID: "uid-\(i)", at: at(Double(i)))) }
            let now = try count()
            largestDrop = max(largestDrop, previous + 1 - now)
            largest = max(largest, now)
            previous = now
        }
        #expect(largest > cap)
        #expect(largest <= cap + Int(EventPruning.countEvery))
        #expect(largestDrop <= EventPruning.rowsPerInsert)
        // What is left is the newest: every event older than the oldest kept is gone.
        let kept = try store.read { try $0.events(limit: 10_000) }
        let oldest = try #require(kept.map(\.lastTimestamp).min())
        #expect(kept.count == Set(kept.map(\.podUID)).count)
        #expect(kept.count >= cap)
        #expect(oldest == at(Double(3000 - kept.count)))
    }

    @Test("a cap lowered between runs is reached a few rows per event, not in one commit")
    func loweredCapDrains() throws {
        let dir = NSTemporaryDirectory() + "events-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/inplaced.db"
        do {
            let store = try StateStore(path: path, options: StoreOptions(maxEventsPerPod: 10, maxEvents: 5000))
            try store.write { tx in
                for i in 0..<2000 { try tx.appendEvent(makeEvent(podUID: "uid-\(i)", at: at(Double(i)))) }
            }
            try store.close()
        }
        let store = try StateStore(path: path, options: StoreOptions(maxEventsPerPod: 10, maxEvents: 1024))
        func count() throws -> Int { try store.rowCount("events") }
        var previous = try count()
        #expect(previous == 2000)
        var inserted = 2000
        while previous > 1024 + Int(EventPruning.countEvery), inserted < 6000 {
            try store.write { try $0.appendEvent(makeEvent(podUID: "uid-\(inserted)", at: at(Double(inserted)))) }
            inserted += 1
            let now = try count()
            #expect(previous + 1 - now <= EventPruning.rowsPerInsert)
            previous = now
        }
        #expect(previous <= 1024 + Int(EventPruning.countEvery))
        try store.close()
    }
}

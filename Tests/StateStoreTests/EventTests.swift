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
}

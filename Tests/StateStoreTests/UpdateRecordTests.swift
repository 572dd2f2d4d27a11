import Foundation
import Testing

@testable import StateStore

@Suite("In-place update records")
struct UpdateRecordTests {
    @Test("insertUpdate returns the id and the record round-trips with every field")
    func roundTrip() throws {
        let store = try storeWithPod()
        var update = makeUpdate()
        let id = try store.write { try $0.insertUpdate(update) }
        update.id = id
        #expect(try store.read { try $0.update(id: id) } == update)

        update.newContainerID = "c-new"
        update.newImageID = "sha256:new"
        update.step = .grace
        update.graceDeadline = at(30.25)
        update.pullAttempts = 2
        update.nextAttemptAt = at(12)
        update.updatedAt = at(13)
        update.message = "waiting for endpoints to drain"
        update.history = [UpdateHistoryEntry(step: .detected, time: at(1.5))]
        try store.write { try $0.saveUpdate(update) }
        try store.read { r throws in
            #expect(try r.update(id: id) == update)
            #expect(try r.updates(podUID: "uid-1") == [update])
        }
    }

    @Test("advance(to:) records each step in the history, which round-trips through the store")
    func historyRoundTrip() throws {
        let store = try storeWithPod()
        var update = makeUpdate()
        update.advance(to: .detected, at: at(0))
        update.id = try store.write { try $0.insertUpdate(update) }
        update.advance(to: .prePulling, at: at(1), message: "pulling nginx:1.26")
        update.advance(to: .failed, at: at(2.5), message: "ErrImagePull")
        try store.write { try $0.saveUpdate(update) }

        let stored = try #require(try store.read { try $0.update(id: update.id!) })
        #expect(stored == update)
        #expect(stored.step == .failed)
        #expect(stored.isFinished)
        #expect(stored.finishedAt == at(2.5))
        #expect(stored.message == "ErrImagePull")
        let history = stored.history
        #expect(history.map(\.step) == [.detected, .prePulling, .failed])
        #expect(history.map(\.message) == [nil, "pulling nginx:1.26", "ErrImagePull"])
        #expect(history[2].time == at(2.5))
        // A history schema v1 wrote (RFC 3339 times, milliseconds) still reads.
        let v1 = UpdateHistoryEntry.decodeList(
            #"[{"step":"Detected","time":"2023-11-14T22:13:20.123Z"},{"step":"Grace","time":"2023-11-14T22:13:21Z","message":"draining"}]"#)
        #expect(v1.map(\.step) == [.detected, .grace])
        #expect(abs(v1[0].time.timeIntervalSince(t0)) < 0.001)
        #expect(v1[1].message == "draining")
    }

    @Test("updates are listed oldest first; unfinishedUpdates leaves out Completed and Failed")
    func unfinished() throws {
        let store = try storeWithPod()
        try store.write { tx throws in
            try tx.savePod(makePod(uid: "uid-2", name: "other"))
            for (i, step) in UpdateStep.allCases.enumerated() {
                var r = makeUpdate(podUID: i.isMultiple(of: 2) ? "uid-1" : "uid-2", container: "c\(i)")
                r.step = step
                try tx.insertUpdate(r)
            }
        }
        try store.read { r throws in
            let unfinished = try r.unfinishedUpdates()
            #expect(unfinished.map(\.step) == [.detected, .prePulling, .gateClosed, .grace, .stopped, .started, .verified])
            #expect(unfinished.allSatisfy { !$0.isFinished })
            let ids = try r.updates(podUID: "uid-1").map { $0.id! }
            #expect(ids == ids.sorted())
            #expect(try r.updates(podUID: "uid-1").map(\.containerName) == ["c0", "c2", "c4", "c6", "c8"])
        }
    }

    @Test("saveUpdate keeps the update's pod and container from its insert")
    func saveKeepsIdentity() throws {
        let store = try storeWithPod()
        var update = makeUpdate()
        update.id = try store.write { try $0.insertUpdate(update) }
        var moved = update
        moved.containerName = "sidecar"
        moved.step = .stopped
        try store.write { try $0.saveUpdate(moved) }
        let stored = try #require(try store.read { try $0.update(id: update.id!) })
        #expect(stored.containerName == "app")
        #expect(stored.podUID == "uid-1")
        #expect(stored.step == .stopped)
    }

    @Test("saveUpdate refuses a record without id and an unknown id")
    func saveUpdateErrors() throws {
        let store = try storeWithPod()
        let noID = #expect(throws: StoreError.self) { try store.write { try $0.saveUpdate(makeUpdate()) } }
        #expect({ if case .invalidRecord(operation: "saveUpdate", _)? = noID { true } else { false } }())
        var unknown = makeUpdate()
        unknown.id = 4242
        let missing = #expect(throws: StoreError.self) { try store.write { try $0.saveUpdate(unknown) } }
        #expect(missing == .notFound(operation: "saveUpdate", table: "updates", key: "id 4242"))
    }

    @Test("an update of an unknown pod is refused")
    func updateNeedsPod() throws {
        let store = try StateStore.inMemory()
        let error = #expect(throws: StoreError.self) { try store.write { try $0.insertUpdate(makeUpdate(podUID: "ghost")) } }
        #expect({ if case .database(operation: "insertUpdate", table: "updates", _)? = error { true } else { false } }())
    }

    @Test("finished updates beyond maxFinishedUpdatesPerPod are pruned, unfinished ones never")
    func pruning() throws {
        let store = try storeWithPod(options: StoreOptions(maxFinishedUpdatesPerPod: 2))
        try store.write { tx throws in
            var pending = makeUpdate(container: "pending")
            pending.step = .grace
            try tx.insertUpdate(pending)
            for i in 0..<4 {
                var done = makeUpdate(container: "done\(i)")
                done.step = .completed
                try tx.insertUpdate(done)
            }
        }
        let names = try store.read { try $0.updates(podUID: "uid-1") }.map(\.containerName)
        #expect(names == ["pending", "done2", "done3"])
    }
}

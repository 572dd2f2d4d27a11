import Foundation
import Testing

@testable import StateStore

@Suite("Deleting a pod")
struct CascadeTests {
    @Test("deletePod removes sandboxes, containers, conditions and updates; keeps events and the queued status")
    func deletePodCascades() throws {
        let store = try StateStore.inMemory()
        try store.write { tx throws in
            try tx.savePod(makePod())
            try tx.savePod(makePod(uid: "uid-2", name: "other"))
            for uid in ["uid-1", "uid-2"] {
                try tx.saveSandbox(SandboxRecord(id: "sb-\(uid)", podUID: uid, createdAt: t0))
                try tx.saveContainer(makeContainer(podUID: uid))
                try tx.saveCondition(ConditionRecord(podUID: uid, type: "InPlaceUpdateReady", status: "True", lastTransitionTime: t0))
                try tx.insertUpdate(makeUpdate(podUID: uid))
                try tx.appendEvent(makeEvent(podUID: uid))
                try tx.enqueueStatus(podUID: uid, namespace: "default", name: "x", statusJSON: #"{"phase":"Running"}"#, at: t0)
            }
        }
        let deleted = try store.write { try $0.deletePod(uid: "uid-1") }
        #expect(deleted)
        try store.read { r throws in
            #expect(try r.pod(uid: "uid-1") == nil)
            #expect(try r.sandboxes(podUID: "uid-1").isEmpty)
            #expect(try r.containers(podUID: "uid-1").isEmpty)
            #expect(try r.conditions(podUID: "uid-1").isEmpty)
            #expect(try r.updates(podUID: "uid-1").isEmpty)
            #expect(try r.unfinishedUpdates().map(\.podUID) == ["uid-2"])
            // Kept: events (history, pruned by count) and the final status to deliver.
            #expect(try r.events(podUID: "uid-1", limit: 10).count == 1)
            #expect(try r.outboxEntry(podUID: "uid-1")?.statusJSON == #"{"phase":"Running"}"#)
            // The other pod is untouched.
            #expect(try r.sandboxes(podUID: "uid-2").count == 1)
            #expect(try r.containers(podUID: "uid-2").count == 1)
            #expect(try r.conditions(podUID: "uid-2").count == 1)
            #expect(try r.updates(podUID: "uid-2").count == 1)
        }
        #expect(try store.write { try $0.deletePod(uid: "uid-1") } == false)
    }

    @Test("a deleted pod's queued status is still delivered, and a new pod of the same uid continues its seq")
    func outboxOutlivesPod() throws {
        let store = try storeWithPod()
        let seq = try store.write { tx throws in
            try tx.enqueueStatus(podUID: "uid-1", namespace: "default", name: "web", statusJSON: "{}", at: t0)
            return try tx.enqueueStatus(podUID: "uid-1", namespace: "default", name: "web", statusJSON: #"{"phase":"Succeeded"}"#, at: t0)
        }
        try store.write { _ = try $0.deletePod(uid: "uid-1") }
        let pending = try store.read { try $0.pendingStatuses(limit: 10, now: t0) }
        #expect(pending.map(\.seq) == [seq])
        #expect(try store.write { try $0.markDelivered(podUID: "uid-1", seq: seq) })
        #expect(try store.read { try $0.outboxDepth() } == 0)
    }
}

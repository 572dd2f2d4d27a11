import Foundation
import Testing

@testable import StateStore

@Suite("Pods, sandboxes, containers and conditions")
struct PodRecordTests {
    @Test("a pod round-trips with every field, dates exactly")
    func podRoundTrip() throws {
        let store = try StateStore.inMemory()
        var pod = makePod()
        pod.startTime = at(1.000_4)
        pod.terminalPhase = "Failed"
        pod.terminalReason = "DeadlineExceeded"
        pod.terminalMessage = "Pod was active on the node longer than the specified deadline"
        pod.updatedAt = at(2.5)
        try store.write { try $0.savePod(pod) }
        try store.read { r throws in
            #expect(try r.pod(uid: "uid-1") == pod)
            #expect(try r.pod(namespace: "default", name: "web") == pod)
            #expect(try r.pod(uid: "nope") == nil)
            #expect(try r.pod(namespace: "other", name: "web") == nil)
            #expect(try r.pods() == [pod])
        }
        // Optional fields come back nil.
        let plain = makePod(uid: "uid-2", name: "plain")
        try store.write { try $0.savePod(plain) }
        #expect(try store.read { try $0.pod(uid: "uid-2") } == plain)
    }

    @Test("savePod updates by uid and keeps the pod's children")
    func podUpsertKeepsChildren() throws {
        let store = try storeWithPod()
        try store.write { tx throws in
            try tx.saveContainer(makeContainer())
            try tx.saveCondition(ConditionRecord(podUID: "uid-1", type: "InPlaceUpdateReady", status: "True", lastTransitionTime: t0))
            try tx.saveSandbox(SandboxRecord(id: "sb-1", podUID: "uid-1", createdAt: t0))
        }
        var edited = makePod()
        edited.podJSON = #"{"edited":true}"#
        edited.source = "/elsewhere.yaml"
        edited.updatedAt = at(60)
        try store.write { try $0.savePod(edited) }
        try store.read { r throws in
            #expect(try r.pods() == [edited])
            #expect(try r.containers(podUID: "uid-1").count == 1)
            #expect(try r.conditions(podUID: "uid-1").count == 1)
            #expect(try r.sandboxes(podUID: "uid-1").count == 1)
        }
    }

    @Test("pods are listed by namespace then name")
    func podOrder() throws {
        let store = try StateStore.inMemory()
        try store.write { tx throws in
            try tx.savePod(makePod(uid: "c", namespace: "b", name: "a"))
            try tx.savePod(makePod(uid: "a", namespace: "a", name: "z"))
            try tx.savePod(makePod(uid: "b", namespace: "a", name: "b"))
        }
        #expect(try store.read { try $0.pods() }.map(\.uid) == ["b", "a", "c"])
    }

    @Test("a second uid with the same namespace/name is refused, naming the operation and table")
    func namespaceNameIsUnique() throws {
        let store = try storeWithPod()
        let error = #expect(throws: StoreError.self) {
            try store.write { try $0.savePod(makePod(uid: "uid-other")) }
        }
        guard case .database(let operation, let table, let detail)? = error else {
            Issue.record("unexpected error \(String(describing: error))")
            return
        }
        #expect(operation == "savePod")
        #expect(table == "pods")
        #expect(detail.contains("UNIQUE"))
        #expect(error?.description.contains("savePod") == true)
    }

    @Test("a container round-trips and upserts by pod and name")
    func containerRoundTrip() throws {
        let store = try storeWithPod()
        let app = makeContainer()
        var sidecar = makeContainer(name: "sidecar", image: "busybox")
        sidecar.containerID = nil
        sidecar.startedAt = nil
        sidecar.lifecycle = .waiting(reason: "ImagePullBackOff", message: "Back-off pulling image \"busybox\"")
        try store.write { tx throws in
            try tx.saveContainer(sidecar)
            try tx.saveContainer(app)
        }
        #expect(try store.read { try $0.containers(podUID: "uid-1") } == [app, sidecar])

        var restarted = app
        restarted.containerID = "c-new"
        restarted.image = "nginx:1.26"
        restarted.imageID = "sha256:bbb"
        restarted.hash = "ffff0001"
        restarted.restartCount = 1
        restarted.lastTermination = ContainerTermination(
            exitCode: 0, reason: "Completed", startedAt: t0, finishedAt: at(9),
            containerID: "mock://c-app")
        restarted.updatedAt = at(10)
        try store.write { try $0.saveContainer(restarted) }
        try store.read { r throws in
            #expect(try r.container(podUID: "uid-1", name: "app") == restarted)
            #expect(try r.containers(podUID: "uid-1").count == 2)
        }
    }

    @Test("allContainers lists every pod's containers by pod then name")
    func allContainers() throws {
        let store = try StateStore.inMemory()
        try store.write { tx throws in
            try tx.savePod(makePod(uid: "u2", name: "b"))
            try tx.savePod(makePod(uid: "u1", name: "a"))
            try tx.saveContainer(makeContainer(podUID: "u2", name: "x"))
            try tx.saveContainer(makeContainer(podUID: "u1", name: "y"))
            try tx.saveContainer(makeContainer(podUID: "u1", name: "b"))
        }
        let keys = try store.read { try $0.allContainers() }.map { "\($0.podUID)/\($0.name)" }
        #expect(keys == ["u1/b", "u1/y", "u2/x"])
    }

    @Test("a container of an unknown pod is refused (foreign keys are on)")
    func containerNeedsPod() throws {
        let store = try StateStore.inMemory()
        let error = #expect(throws: StoreError.self) {
            try store.write { try $0.saveContainer(makeContainer(podUID: "ghost")) }
        }
        guard case .database(let operation, let table, let detail)? = error else {
            Issue.record("unexpected error \(String(describing: error))")
            return
        }
        #expect(operation == "saveContainer")
        #expect(table == "containers")
        #expect(detail.contains("FOREIGN KEY"))
    }

    @Test("a condition round-trips and upserts by pod and type")
    func conditionRoundTrip() throws {
        let store = try storeWithPod()
        let closed = ConditionRecord(
            podUID: "uid-1", type: "InPlaceUpdateReady", status: "False",
            reason: "StartInPlaceUpdate", message: "updating app", lastTransitionTime: at(1))
        let other = ConditionRecord(podUID: "uid-1", type: "Custom", status: "True", lastTransitionTime: at(2))
        try store.write { tx throws in
            try tx.saveCondition(closed)
            try tx.saveCondition(other)
        }
        #expect(try store.read { try $0.conditions(podUID: "uid-1") } == [other, closed])
        let open = ConditionRecord(podUID: "uid-1", type: "InPlaceUpdateReady", status: "True", lastTransitionTime: at(3))
        try store.write { try $0.saveCondition(open) }
        #expect(try store.read { try $0.conditions(podUID: "uid-1") } == [other, open])
        try store.write { try $0.deleteCondition(podUID: "uid-1", type: "Custom") }
        #expect(try store.read { try $0.conditions(podUID: "uid-1") } == [open])
    }

    @Test("a sandbox round-trips, upserts by id, and lists by attempt")
    func sandboxRoundTrip() throws {
        let store = try storeWithPod()
        let second = SandboxRecord(id: "sb-2", podUID: "uid-1", attempt: 1, state: "Ready", ip: "10.88.0.7", createdAt: at(5))
        var first = SandboxRecord(id: "sb-1", podUID: "uid-1", attempt: 0, state: "Ready", ip: "10.88.0.6", createdAt: at(0))
        try store.write { tx throws in
            try tx.saveSandbox(second)
            try tx.saveSandbox(first)
        }
        #expect(try store.read { try $0.sandboxes(podUID: "uid-1") } == [first, second])
        first.state = "NotReady"
        try store.write { try $0.saveSandbox(first) }
        #expect(try store.read { try $0.sandboxes(podUID: "uid-1") } == [first, second])
        try store.write { try $0.deleteSandbox(id: "sb-1") }
        #expect(try store.read { try $0.sandboxes(podUID: "uid-1") } == [second])
    }

    @Test("deleteContainer removes one container only")
    func deleteContainer() throws {
        let store = try storeWithPod()
        try store.write { tx throws in
            try tx.saveContainer(makeContainer(name: "a"))
            try tx.saveContainer(makeContainer(name: "b"))
            try tx.deleteContainer(podUID: "uid-1", name: "a")
            try tx.deleteContainer(podUID: "uid-1", name: "missing")
        }
        #expect(try store.read { try $0.containers(podUID: "uid-1") }.map(\.name) == ["b"])
    }
}

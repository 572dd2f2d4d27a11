import ContainerRuntime
import Foundation
import Testing

@testable import MockRuntime

/// ``OutOfLine``: the mock's records kept in a copy-on-write box behave as the plain structs they
/// were (same JSON in the state file, independent copies, equality by fields).
@Suite struct OutOfLineTests {
    static func fields(_ id: String = "c1") -> ContainerFields {
        ContainerFields(
            id: id, seq: 7, sandboxID: "s1", config: ContainerConfig(name: "app", image: "nginx:1.25", labels: ["a": "b"]),
            imageID: "sha256:abc", logPath: "/var/log/pods/x/app/0.log", reservedName: "app_web_default_u_0", state: .created,
            createdAt: 1_000)
    }

    @Test func jsonIsTheFieldsJSON() throws {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        let boxed = ContainerRecord(Self.fields())
        #expect(try e.encode(boxed) == e.encode(Self.fields()), "a state file written before the box must still load")
        let back = try JSONDecoder().decode(ContainerRecord.self, from: try e.encode(Self.fields()))
        #expect(back == boxed)
        #expect(back.fields == Self.fields())
    }

    @Test func copiesAreIndependent() {
        var snapshot = NodeState()
        snapshot.insert(ContainerRecord(Self.fields()))
        var live = snapshot
        live.containers["c1"]?.state = .running
        live.containers["c1"]?.startedAt = 2_000
        #expect(snapshot.containers["c1"]?.state == .created, "a snapshot keeps the state it was taken with")
        #expect(snapshot.containers["c1"]?.startedAt == 0)
        #expect(live.containers["c1"]?.state == .running)
        #expect(live.containers["c1"] != snapshot.containers["c1"])
        live.containers["c1"]?.state = .created
        live.containers["c1"]?.startedAt = 0
        #expect(live.containers["c1"] == snapshot.containers["c1"], "equal fields make equal records")
        #expect(live.containers["c1"]?.hashValue == snapshot.containers["c1"]?.hashValue)
    }
}

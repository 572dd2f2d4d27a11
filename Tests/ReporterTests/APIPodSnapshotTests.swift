import NodeAgent
import PodAPI
import Testing

@testable import Reporter

/// The desired pods the API source makes of the pods bound to its node.
struct APIPodSnapshotTests {
    static func pod(_ name: String, uid: String, deleting grace: Int? = nil) throws -> JSONValue {
        let deletion = grace.map { #","deletionTimestamp":"2026-12-05T10:00:00Z","deletionGracePeriodSeconds":\#($0)"# } ?? ""
        return try JSONValue.parse(
            Array(
                #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"\#(name)","namespace":"default","uid":"\#(uid)","resourceVersion":"9"\#(deletion)},"spec":{"nodeName":"n1","containers":[{"name":"app","image":"nginx:1.25"}]},"status":{"phase":"Running","conditions":[{"type":"Ready","status":"True"},{"type":"InPlaceUpdateReady","status":"False"}]}}"#
                    .utf8))
    }

    @Test func aPodBeingDeletedLeavesTheSnapshotWithItsDeletionGracePeriod() throws {
        let desired = APIPodSource.snapshot(["u1": try Self.pod("web", uid: "u1"), "u2": try Self.pod("old", uid: "u2", deleting: 5)])
        #expect(desired.pods.map { $0.pod.metadata.name } == ["web"])
        #expect(desired.deletionGracePeriods == ["default/old": 5])
        #expect(desired.pods[0].pod.metadata.uid == "u1")
        // Only the conditions other writers own are kept of the status.
        #expect(desired.pods[0].pod.status?.conditions?.map(\.type) == ["InPlaceUpdateReady"])
    }
}

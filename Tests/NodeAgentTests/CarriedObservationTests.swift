import ContainerRuntime
import Foundation
import PodAPI
import StateStore
import Testing

@testable import NodeAgent

/// ``PodSyncer/carried(_:recordsBefore:recordsNow:)``: what the next pass of one sync keeps of
/// the runtime it saw, row by row.
struct CarriedObservationTests {
    typealias T = PodDecisionTests

    static let app = Container(name: "app", image: "nginx:1")
    static let sidecar = Container(name: "sidecar", image: "busybox:1")

    struct Row: CustomTestStringConvertible {
        var label: String
        var sandbox: RuntimeObservation.SandboxState
        /// Records at the start of the pass and at its end.
        var before: [ContainerRecord]
        var after: [ContainerRecord]
        /// IDs seen at the start of the pass (all running).
        var seen: [String]
        /// What the next pass must still know.
        var keptSandbox: RuntimeObservation.SandboxState
        var keptIDs: Set<String>
        var testDescription: String { label }
    }

    static let appRunning = T.record(app, id: "a1", lifecycle: .running(startedAt: nil))
    static let sidecarRunning = T.record(sidecar, id: "s1", lifecycle: .running(startedAt: nil))
    static var appRestarted: ContainerRecord {
        var r = T.record(app, id: "a2", lifecycle: .running(startedAt: nil), restarts: 1)
        r.updatedAt = appRunning.updatedAt
        return r
    }
    static var appStopped: ContainerRecord {
        var r = appRunning
        r.lifecycle = .waiting(reason: "CrashLoopBackOff", message: nil)
        return r
    }

    static let rows: [Row] = [
        Row(
            label: "nothing acted on: sandbox and both containers kept", sandbox: .ready(specHash: "h"),
            before: [appRunning, sidecarRunning], after: [appRunning, sidecarRunning], seen: ["a1", "s1"],
            keptSandbox: .ready(specHash: "h"), keptIDs: ["a1", "s1"]),
        Row(
            label: "a container the pass restarted is looked at again", sandbox: .ready(specHash: "h"),
            before: [appRunning, sidecarRunning], after: [appRestarted, sidecarRunning], seen: ["a1", "s1"],
            keptSandbox: .ready(specHash: "h"), keptIDs: ["s1"]),
        Row(
            label: "a record changed under the same ID is looked at again", sandbox: .ready(specHash: "h"),
            before: [appRunning, sidecarRunning], after: [appStopped, sidecarRunning], seen: ["a1", "s1"],
            keptSandbox: .ready(specHash: "h"), keptIDs: ["s1"]),
        Row(
            label: "a sandbox not seen ready is asked for again", sandbox: .notReady,
            before: [appRunning], after: [appRunning], seen: ["a1"], keptSandbox: .unrecorded, keptIDs: ["a1"]),
        Row(
            label: "a container not seen is not made up", sandbox: .ready(specHash: nil),
            before: [appRunning, sidecarRunning], after: [appRunning, sidecarRunning], seen: ["a1"],
            keptSandbox: .ready(specHash: nil), keptIDs: ["a1"]),
        Row(
            label: "a container the pass created is looked at", sandbox: .ready(specHash: "h"),
            before: [appRunning], after: [appRunning, sidecarRunning], seen: ["a1"],
            keptSandbox: .ready(specHash: "h"), keptIDs: ["a1"]),
    ]

    @Test(arguments: rows) func keepsOnlyWhatThePassLeftAlone(_ row: Row) {
        var observed = RuntimeObservation(sandbox: row.sandbox)
        for id in row.seen { observed.containers[id] = .some(T.status(id, .running)) }
        let next = PodSyncer.carried(
            observed, recordsBefore: Dictionary(uniqueKeysWithValues: row.before.map { ($0.name, $0) }),
            recordsNow: Dictionary(uniqueKeysWithValues: row.after.map { ($0.name, $0) }))
        #expect(next.sandbox == row.keptSandbox)
        #expect(Set(next.containers.keys) == row.keptIDs)
        for id in row.keptIDs { #expect(next.containers[id] == observed.containers[id]) }
    }
}

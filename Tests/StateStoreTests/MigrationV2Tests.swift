import Foundation
import Testing

@testable import StateStore

/// Schema v2 (typed container lifecycle) over a database the v1 release wrote:
/// `Fixtures/v1-release.sqlite` is the state directory of inplaced built from the last v1 commit
/// (bdc9d2b), run on the mock runtime with four pods (a web pod upgraded in place once and
/// stopped in the grace period of a second upgrade, a crash-looping pod, a job with an init
/// container, a pod whose image cannot be pulled), then stopped with SIGTERM.
@Suite("Migrating a v1 database")
struct MigrationV2Tests {
    static var fixture: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/v1-release.sqlite").path
    }

    /// Opens a copy of the fixture (the migration writes to it).
    func migrated(_ body: (StateStore) throws -> Void) throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/state.sqlite"
            try FileManager.default.copyItem(atPath: Self.fixture, toPath: path)
            let store = try StateStore(path: path)
            defer { try? store.close() }
            try body(store)
        }
    }

    func container(_ store: StateStore, pod: String, _ name: String) throws -> ContainerRecord {
        let uid = try #require(try store.read { try $0.pod(namespace: "default", name: pod) }).uid
        return try #require(try store.read { try $0.container(podUID: uid, name: name) })
    }

    @Test("v1 is migrated to v2 and nothing else is lost")
    func migratesAndKeepsEverything() throws {
        try migrated { store in
            #expect(try store.appliedMigrations() == ["v1", "v2"])
            try store.read { r throws in
                #expect(try r.pods().map(\.name).sorted() == ["badpull", "crasher", "job", "web"])
                #expect(try r.allContainers().count == 6)
                #expect(try r.events(limit: 1000).count == 29)
                #expect(try r.outboxDepth() == 4)
            }
        }
    }

    @Test("a running container with an earlier termination keeps both, with their times")
    func runningWithLastTermination() throws {
        try migrated { store in
            let app = try container(store, pod: "web", "app")
            #expect(app.restartCount == 1)
            #expect(app.lifecycle == .running(startedAt: rfc3339("2026-12-02T17:35:42Z")))
            let last = try #require(app.lastTermination)
            #expect(last.exitCode == 0)
            #expect(last.reason == "Completed")
            #expect(last.finishedAt == rfc3339("2026-12-02T17:35:42Z"))
            #expect(last.containerID?.hasPrefix("mock://") == true)
            let crasher = try container(store, pod: "crasher", "app")
            #expect(crasher.lastTermination?.exitCode == 1)
            #expect(crasher.lastTermination?.reason == "Error")
            #expect(crasher.restartCount == 3)
        }
    }

    @Test("exited containers become exited lifecycles without a container ID")
    func exited() throws {
        try migrated { store in
            let setup = try container(store, pod: "job", "setup")
            #expect(setup.lifecycle.termination?.exitCode == 0)
            #expect(setup.lifecycle.termination?.reason == "Completed")
            #expect(setup.containerID == nil)
            let main = try container(store, pod: "job", "main")
            #expect(main.lifecycle.termination?.exitCode == 3)
            #expect(main.lastTermination == nil)
        }
    }

    @Test("a wait keeps its reason and message")
    func waiting() throws {
        try migrated { store in
            let app = try container(store, pod: "badpull", "app")
            guard case .waiting(let reason, let message) = app.lifecycle else {
                Issue.record("expected a wait, got \(app.lifecycle)")
                return
            }
            #expect(reason == "ErrImagePull")
            #expect(message?.contains("example.local/missing:1") == true)
        }
    }

    @Test("the unfinished update keeps its step and its history")
    func updates() throws {
        try migrated { store in
            let uid = try #require(try store.read { try $0.pod(namespace: "default", name: "web") }).uid
            let updates = try store.read { try $0.updates(podUID: uid) }
            #expect(updates.map(\.step) == [.completed, .grace])
            #expect(
                updates[0].history.map(\.step) == [.detected, .prePulling, .gateClosed, .grace, .stopped, .started, .verified, .completed])
            #expect(updates[1].toImage == "nginx:1.27")
            #expect(try store.read { try $0.unfinishedUpdates() }.map(\.toImage) == ["nginx:1.27"])
        }
    }

    @Test("the migrated store takes new typed records")
    func writesAfterMigration() throws {
        try migrated { store in
            var app = try container(store, pod: "web", "app")
            app.lifecycle = .created
            try store.write { try $0.saveContainer(app) }
            #expect(try container(store, pod: "web", "app").lifecycle == .created)
        }
    }

    /// v1's convention, table by table: what each stored ContainerState meant.
    @Test(arguments: [
        (#"{"waiting":{"reason":"ContainerCreating"}}"#, nil as String?, ContainerLifecycle.creating),
        (#"{"waiting":{"reason":"ContainerCreating"}}"#, "c1", .created),
        (#"{"waiting":{"reason":"ContainerCreating","message":""}}"#, "c1", .created),
        (
            #"{"waiting":{"reason":"ContainerCreating","message":"hostPath type check failed"}}"#, nil,
            .waiting(reason: "ContainerCreating", message: "hostPath type check failed")
        ),
        (
            #"{"waiting":{"reason":"CrashLoopBackOff","message":"back-off 10s"}}"#, nil,
            .waiting(reason: "CrashLoopBackOff", message: "back-off 10s")
        ),
        (#"{"running":{}}"#, "c1", .running(startedAt: nil)),
        (#"{"running":{"startedAt":"2026-01-02T03:04:05.5Z"}}"#, "c1", .running(startedAt: rfc3339("2026-01-02T03:04:05.5Z"))),
        (
            #"{"terminated":{"exitCode":137,"reason":"ContainerStatusUnknown"}}"#, nil,
            .exited(ContainerTermination(exitCode: 137, reason: "ContainerStatusUnknown"))
        ),
        ("{}", nil, .unknown),
        ("not json", nil, .unknown),
    ])
    func legacyStates(_ json: String, _ containerID: String?, _ expected: ContainerLifecycle) {
        #expect(LegacyContainerState.lifecycle(stateJSON: json, containerID: containerID) == expected)
    }

    @Test func legacyLastState() {
        #expect(LegacyContainerState.lastTermination(lastStateJSON: "{}") == nil)
        #expect(
            LegacyContainerState.lastTermination(lastStateJSON: #"{"terminated":{"exitCode":2,"signal":9}}"#)
                == ContainerTermination(exitCode: 2, signal: 9))
    }

    @Test(arguments: [
        ContainerLifecycle.creating, .created, .running(startedAt: Date(timeIntervalSinceReferenceDate: 12.5)), .unknown,
        .waiting(reason: "ErrImagePull", message: nil),
        .exited(
            ContainerTermination(
                exitCode: 1, reason: "Error", startedAt: Date(timeIntervalSinceReferenceDate: 1),
                finishedAt: Date(timeIntervalSinceReferenceDate: 2.25))),
    ])
    func lifecycleRoundTripsThroughItsColumn(_ lifecycle: ContainerLifecycle) throws {
        #expect(try ContainerLifecycle(storeJSON: lifecycle.storeJSON) == lifecycle)
    }
}

/// An RFC 3339 time, for expectations.
private func rfc3339(_ text: String) -> Date {
    LegacyContainerState.parseTime(text)!
}

import Foundation
import GRDB
import NodeAgent
import PodAPI
import Testing

/// A pod whose store write fails is retried every 2 s until stored, whatever other files'
/// snapshots arrive meanwhile.
@Suite(.serialized) struct StoreFailureScenarios {
    /// A partial snapshot (as the manifest directory sends for the files inotify named) of the
    /// pods of one YAML text in `file`.
    private static func partial(_ yaml: String, file: String) throws -> DesiredPods {
        let result = ManifestLoader.load(data: Data(yaml.utf8), fileName: file)
        guard result.errors.isEmpty else { throw HarnessError("manifest rejected: \(result.errors)") }
        var d = DesiredPods(pods: result.pods.map { DesiredPods.Entry(pod: $0.pod, source: file) })
        d.partialSources = [file]
        return d
    }

    @Test("an edit that could not be stored is retried after another file's snapshot stored fine")
    func failedEditSurvivesALaterSnapshot() async throws {
        let h = try await Harness()
        defer { Task { await h.stop() } }
        for image in ["nginx:1.25", "nginx:1.26", "busybox:1.36"] { try await h.mock.registry(add: image) }
        var both = try Self.partial(Manifests.web(gate: false, name: "one"), file: "one.yaml")
        both.pods += try Self.partial(Manifests.web(gate: false, name: "two"), file: "two.yaml").pods
        both.partialSources = nil
        await h.agent.apply(both)
        try await h.waitReady("one")
        try await h.waitReady("two")

        // The store refuses every write of pod "one" (another connection's trigger).
        let db = try DatabaseQueue(path: h.dir.appendingPathComponent("state.db").path)
        try await db.write { db in
            try db.execute(
                sql: """
                    CREATE TRIGGER refuse_one BEFORE UPDATE ON pods WHEN NEW.name = 'one'
                    BEGIN SELECT RAISE(ABORT, 'injected: pod one cannot be stored'); END
                    """)
        }
        await h.agent.apply(try Self.partial(Manifests.web(image: "nginx:1.26", gate: false, name: "one"), file: "one.yaml"))
        // Another file's edit, stored fine, comes before the retry.
        await h.agent.apply(try Self.partial(Manifests.web(image: "nginx:1.26", gate: false, name: "two"), file: "two.yaml"))
        let errors = await h.agent.health().manifestErrors
        #expect(errors.contains { $0.file == "one.yaml" && $0.message.contains("cannot store pod default/one") })
        try await db.write { db in try db.execute(sql: "DROP TRIGGER refuse_one") }

        for name in ["one", "two"] {
            try await h.wait("\(name) on nginx:1.26", timeout: 20) { () -> Pod? in
                let p = try await h.pod(name)
                return p.container("app")?.image == "nginx:1.26" && p.status?.condition("Ready")?.status == "True" ? p : nil
            }
        }
        #expect(await h.agent.health().manifestErrors.isEmpty)
    }

    @Test(
        "while the database refuses every write the agent reports itself unhealthy, naming the error; healthy again once a write goes through"
    )
    func refusedWritesMakeTheAgentUnhealthy() async throws {
        let h = try await Harness()
        defer { Task { await h.stop() } }
        for image in ["nginx:1.25", "nginx:1.26", "busybox:1.36"] { try await h.mock.registry(add: image) }
        try await h.apply(Manifests.web(gate: false, name: "one"))
        try await h.waitReady("one")
        #expect(await h.agent.health().status == "ok")
        #expect(await h.agent.health().storeWriteError == nil)

        let db = try DatabaseQueue(path: h.dir.appendingPathComponent("state.db").path)
        try await db.write { db in
            try db.execute(
                sql: """
                    CREATE TRIGGER refuse_all BEFORE UPDATE ON pods
                    BEGIN SELECT RAISE(ABORT, 'injected: database or disk is full'); END
                    """)
        }
        await h.agent.apply(try Self.partial(Manifests.web(image: "nginx:1.26", gate: false, name: "one"), file: "pods.yaml"))
        let sick = await h.agent.health()
        #expect(sick.status == "unhealthy")
        #expect(sick.storeWriteError?.contains("injected: database or disk is full") == true)
        #expect((sick.storeWriteFailures ?? 0) >= 1)
        #expect(sick.storeWriteErrorTime != nil)
        // Over the status socket as inplacectl reads it: 503 and the same error.
        #expect(try await h.client.health().storeWriteError?.contains("injected") == true)

        try await db.write { db in try db.execute(sql: "DROP TRIGGER refuse_all") }
        try await h.wait("healthy again", timeout: 20) { () -> Bool? in
            let health = await h.agent.health()
            return health.status == "ok" && health.storeWriteError == nil ? true : nil
        }
    }
}

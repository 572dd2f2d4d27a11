import Foundation
import Testing

@testable import StateStore

@Suite("Opening and migrating")
struct MigrationTests {
    @Test("a fresh file gets every table, in WAL mode with foreign keys on, its parent directories created")
    func freshFile() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/nested/state/inplaced.db"
            let store = try StateStore(path: path)
            #expect(FileManager.default.fileExists(atPath: path))
            #expect(try store.appliedMigrations() == ["v1", "v2"])
            #expect(try store.pragma("journal_mode") == "wal")
            #expect(try store.pragma("foreign_keys") == "1")
            #expect(try store.pragma("synchronous") == "1")  // NORMAL
            // Every table answers, empty.
            try store.read { r throws in
                #expect(try r.pods().isEmpty)
                #expect(try r.allContainers().isEmpty)
                #expect(try r.unfinishedUpdates().isEmpty)
                #expect(try r.events(limit: 10).isEmpty)
                #expect(try r.outboxDepth() == 0)
            }
            try store.close()
        }
    }

    @Test("synchronous is configurable")
    func synchronousFull() throws {
        try withTemporaryDirectory { dir in
            let store = try StateStore(path: dir + "/s.db", options: StoreOptions(synchronous: .full))
            #expect(try store.pragma("synchronous") == "2")  // FULL
            try store.close()
        }
    }

    @Test("opening a migrated file again applies nothing new and keeps the data")
    func reopenIsIdempotent() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/s.db"
            let first = try StateStore(path: path)
            try first.write { try $0.savePod(makePod()) }
            try first.close()
            let second = try StateStore(path: path)
            #expect(try second.appliedMigrations() == ["v1", "v2"])
            #expect(try second.read { try $0.pods() } == [makePod()])
            try second.close()
        }
    }

    @Test("a file migrated by a newer build is refused, naming the file and the unknown migrations")
    func newerSchemaIsRefused() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/s.db"
            let store = try StateStore(path: path)
            try store.executeRawSQL("INSERT INTO grdb_migrations (identifier) VALUES ('v99-future')")
            try store.close()

            let error = #expect(throws: StoreError.self) { try StateStore(path: path) }
            #expect(error == .newerSchema(path: path, unknownMigrations: ["v99-future"]))
            #expect(error?.description.contains(path) == true)
        }
    }

    @Test("an in-memory store is migrated and usable")
    func inMemory() throws {
        let store = try StateStore.inMemory()
        #expect(store.path == nil)
        #expect(try store.appliedMigrations() == ["v1", "v2"])
        #expect(try store.pragma("foreign_keys") == "1")
    }
}

import Foundation
import Testing

@testable import StateStore

/// A database file removed or replaced behind the open store is reported until the store is
/// reopened: SQLite keeps writing to the file it has open, which a restart would not find.
@Suite struct FileIdentityTests {
    static func waitForFailure(_ store: StateStore, containing text: String) async throws -> StoreWriteFailure? {
        for _ in 0..<400 {
            if let failure = store.lastWriteFailure, failure.error.contains(text) { return failure }
            try await Task.sleep(nanoseconds: 5_000_000)
        }
        return nil
    }

    @Test("a removed database file is reported, and stays reported while writes still go through")
    func removed() async throws {
        try await withTemporaryDirectory { dir in
            let path = dir + "/state.db"
            let store = try StateStore(path: path, options: StoreOptions(checkpointIntervalSeconds: 0.02))
            defer { try? store.close() }
            try store.write { try $0.savePod(makePod()) }
            try await Task.sleep(nanoseconds: 100_000_000)
            #expect(store.lastWriteFailure == nil)
            try FileManager.default.removeItem(atPath: path)
            let failure = try #require(try await Self.waitForFailure(store, containing: "was removed"))
            #expect(failure.error.contains(path))
            #expect(failure.error.contains("restart inplaced"))
            try store.write { try $0.savePod(makePod(uid: "uid-2", name: "other")) }
            #expect(store.lastWriteFailure?.error.contains("was removed") == true)
        }
    }

    @Test("a database file replaced by another is reported; the store reopened on it is healthy")
    func replaced() async throws {
        try await withTemporaryDirectory { dir in
            let path = dir + "/state.db"
            let store = try StateStore(path: path, options: StoreOptions(checkpointIntervalSeconds: 0.02))
            try store.write { try $0.savePod(makePod()) }
            let other = try StateStore(path: dir + "/other.db")
            try other.close()
            #expect(rename(dir + "/other.db", path) == 0)
            #expect(try await Self.waitForFailure(store, containing: "was replaced") != nil)
            try store.close()
            let reopened = try StateStore(path: path, options: StoreOptions(checkpointIntervalSeconds: 0.02))
            defer { try? reopened.close() }
            try await Task.sleep(nanoseconds: 100_000_000)
            #expect(reopened.lastWriteFailure == nil)
        }
    }
}

import Foundation
import Testing

@testable import StateStore

/// The reserve beside the database: given back when SQLite says the volume is full, made again
/// when there is room.
@Suite struct SpaceReserveTests {
    @Test("a full volume (SQLITE_FULL) releases the reserve and says so; the reserve comes back once writes go through")
    func releasedAndRemade() async throws {
        try await withTemporaryDirectory { dir in
            let path = dir + "/state.db"
            var options = StoreOptions(checkpointIntervalSeconds: 0.02)
            options.reserveBytes = 1 << 20
            let store = try StateStore(path: path, options: options)
            defer { try? store.close() }
            let reservePath = path + ".reserve"
            let size = { () -> Int64? in
                (try? FileManager.default.attributesOfItem(atPath: reservePath)[.size] as? NSNumber)?.int64Value
            }
            #expect(size() == 1 << 20)

            // SQLite's page limit makes it answer SQLITE_FULL as a full volume does.
            try store.write { tx in
                let pages = try Int.fetchOne(tx.db, sql: "PRAGMA page_count") ?? 1
                try tx.db.execute(sql: "PRAGMA max_page_count = \(pages)")
            }
            var big = makePod(uid: "uid-big", name: "big")
            big.podJSON = #"{"blob":""# + String(repeating: "x", count: 200_000) + #""}"#
            let error = #expect(throws: StoreError.self) { try store.write { try $0.savePod(big) } }
            #expect("\(error.map { "\($0)" } ?? "")".contains("full"))
            #expect(size() == nil)
            let failure = try #require(store.lastWriteFailure)
            #expect(failure.error.contains("released the 1 MiB reserve"))

            try store.write { tx in try tx.db.execute(sql: "PRAGMA max_page_count = 1073741823") }
            try store.write { try $0.savePod(big) }
            #expect(store.lastWriteFailure == nil)
            var remade = false
            for _ in 0..<400 where !remade {
                remade = size() == 1 << 20
                if !remade { try await Task.sleep(nanoseconds: 5_000_000) }
            }
            #expect(remade)
        }
    }

    @Test("no reserve is kept by default")
    func noneByDefault() throws {
        try withTemporaryDirectory { dir in
            let store = try StateStore(path: dir + "/state.db")
            defer { try? store.close() }
            #expect(!FileManager.default.fileExists(atPath: dir + "/state.db.reserve"))
        }
    }
}

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

/// The reserve on a really full volume: a tmpfs of 32 MiB the test mounts (root only) and fills.
@Suite(
    "A full state volume", .serialized,
    .enabled(if: FullVolume.canMount, "needs root to mount a tmpfs (the test fills a volume of its own)"))
struct FullVolumeTests {
    @Test("a write that fills the volume releases the reserve; the next write goes through, and a store reopened on the full volume opens")
    func fullVolume() throws {
        try FullVolume.with { dir in
            var options = StoreOptions(checkpointIntervalSeconds: 3600)
            options.quietCheckpointSeconds = 0
            options.reserveBytes = 2 << 20
            let path = dir + "/state.db"
            var store = try StateStore(path: path, options: options)
            #expect(FileManager.default.fileExists(atPath: path + ".reserve"))
            try store.write { try $0.savePod(makePod()) }
            try FullVolume.fill(dir)

            var big = makePod(uid: "uid-big", name: "big")
            big.podJSON = #"{"blob":""# + String(repeating: "x", count: 300_000) + #""}"#
            #expect(throws: StoreError.self) { try store.write { try $0.savePod(big) } }
            #expect(store.lastWriteFailure?.error.contains("released the 2 MiB reserve") == true)
            #expect(!FileManager.default.fileExists(atPath: path + ".reserve"))
            try store.write { try $0.savePod(big) }
            #expect(store.lastWriteFailure == nil)
            try store.close()

            // Full again, with the reserve back: the store still opens.
            try FileManager.default.removeItem(atPath: dir + "/filler")
            _ = try StateStore(path: path, options: options).close()
            #expect(FileManager.default.fileExists(atPath: path + ".reserve"))
            try FullVolume.fill(dir)
            store = try StateStore(path: path, options: options)
            defer { try? store.close() }
            #expect(store.releasedReserve?.bytes == 2 << 20)
            #expect(try store.read { try $0.pods() }.count == 2)
            try store.write { try $0.savePod(makePod(uid: "uid-3", name: "third")) }
        }
    }
}

extension FullVolumeTests {
    @Test(
        "a fresh store whose data is all in the WAL, filled up: after the release, a run of writes still goes through (the checkpoint runs at once)"
    )
    func writesKeepGoingAfterTheRelease() throws {
        try FullVolume.with { dir in
            var options = StoreOptions(checkpointIntervalSeconds: 3600)
            options.quietCheckpointSeconds = 0
            options.reserveBytes = 2 << 20
            let store = try StateStore(path: dir + "/state.db", options: options)
            defer { try? store.close() }
            // Half a MiB of pods, all of it in the WAL (no background checkpoint in this test).
            for i in 0..<5 {
                var pod = makePod(uid: "uid-\(i)", name: "p\(i)")
                pod.podJSON = #"{"blob":""# + String(repeating: "x", count: 100_000) + #""}"#
                try store.write { try $0.savePod(pod) }
            }
            try FullVolume.fill(dir)
            var refused = 0
            for round in 0..<40 {
                var pod = makePod(uid: "uid-\(round % 5)", name: "p\(round % 5)")
                pod.podJSON = #"{"round":\#(round),"blob":""# + String(repeating: "y", count: 100_000) + #""}"#
                do { try store.write { try $0.savePod(pod) } } catch { refused += 1 }
            }
            // The write that found the volume full is refused; the 39 after it go through.
            #expect(refused == 1)
            #expect(store.lastWriteFailure == nil)
        }
    }
}

enum FullVolume {
    static let canMount: Bool = {
        guard getuid() == 0 else { return false }
        let dir = NSTemporaryDirectory() + "statestore-mount-probe-\(UUID().uuidString)"
        guard (try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)) != nil else { return false }
        defer { try? FileManager.default.removeItem(atPath: dir) }
        guard mount("tmpfs", dir, "tmpfs", 0, "size=1m") == 0 else { return false }
        umount(dir)
        return true
    }()

    /// Runs `body` with a fresh 32 MiB tmpfs, unmounted afterwards.
    static func with(_ body: (String) throws -> Void) throws {
        let dir = NSTemporaryDirectory() + "statestore-full-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer {
            umount2(dir, Int32(MNT_DETACH))
            try? FileManager.default.removeItem(atPath: dir)
        }
        guard mount("tmpfs", dir, "tmpfs", 0, "size=32m") == 0 else {
            Issue.record("mount tmpfs on \(dir) failed: \(String(cString: strerror(errno)))")
            return
        }
        try body(dir)
    }

    /// Writes zeros to `<dir>/filler` until the volume has no block left.
    static func fill(_ dir: String) throws {
        let fd = open(dir + "/filler", O_WRONLY | O_CREAT | O_APPEND, 0o600)
        guard fd >= 0 else { throw CocoaError(.fileWriteUnknown) }
        defer { close(fd) }
        let chunk = [UInt8](repeating: 0, count: 1 << 16)
        while chunk.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) > 0 {}
        var small = [UInt8](repeating: 0, count: 512)
        while small.withUnsafeMutableBytes({ write(fd, $0.baseAddress, $0.count) }) > 0 {}
    }
}

import Foundation
import Testing

@testable import StateStore

@Suite("Files on disk")
struct PersistenceTests {
    @Test("everything written is there after closing and reopening the file")
    func reopenKeepsData() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/inplaced.db"
            var update = makeUpdate()
            update.advance(to: .grace, at: at(1), message: "draining")
            update.graceDeadline = at(31)
            let seq: Int64
            do {
                let store = try StateStore(path: path)
                (update.id, seq) = try store.write { tx throws in
                    try tx.savePod(makePod())
                    try tx.saveContainer(makeContainer())
                    try tx.saveSandbox(SandboxRecord(id: "sb", podUID: "uid-1", ip: "10.0.0.2", createdAt: t0))
                    try tx.saveCondition(
                        ConditionRecord(podUID: "uid-1", type: "InPlaceUpdateReady", status: "False", lastTransitionTime: t0))
                    try tx.appendEvent(makeEvent())
                    return (
                        try tx.insertUpdate(update),
                        try tx.enqueueStatus(podUID: "uid-1", namespace: "default", name: "web", statusJSON: "{}", at: t0)
                    )
                }
                try store.close()
            }
            let reopened = try StateStore(path: path)
            try reopened.read { r throws in
                #expect(try r.pods() == [makePod()])
                #expect(try r.allContainers() == [makeContainer()])
                #expect(try r.sandboxes(podUID: "uid-1").map(\.ip) == ["10.0.0.2"])
                #expect(try r.conditions(podUID: "uid-1").map(\.status) == ["False"])
                #expect(try r.events(limit: 10).count == 1)
                // The step and its deadline survive a restart.
                #expect(try r.unfinishedUpdates() == [update])
                #expect(try r.outboxEntry(podUID: "uid-1")?.seq == seq)
            }
            try reopened.close()
        }
    }

    @Test("data committed without close() is there when the file is opened again (as after a crash)")
    func committedWithoutClose() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/inplaced.db"
            let first = try StateStore(path: path)
            try first.write { try $0.savePod(makePod()) }
            // A second connection, as a restarted agent, while the first was never closed.
            let second = try StateStore(path: path)
            #expect(try second.read { try $0.pods() } == [makePod()])
            try second.close()
            try first.close()
        }
    }

    @Test("a file that is not a database is refused with an error naming the file")
    func corruptFile() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/inplaced.db"
            var garbage = [UInt8]()
            var seed: UInt32 = 12345
            for _ in 0..<8192 {
                seed = seed &* 1_103_515_245 &+ 12345
                garbage.append(UInt8(truncatingIfNeeded: seed >> 16))
            }
            try Data(garbage).write(to: URL(fileURLWithPath: path))
            let error = #expect(throws: StoreError.self) { try StateStore(path: path) }
            guard case .corrupt(let errorPath, _)? = error else {
                Issue.record("expected .corrupt, got \(String(describing: error))")
                return
            }
            #expect(errorPath == path)
            #expect(error?.description.contains(path) == true)
        }
    }

    @Test("a database whose pages are damaged is refused at open (integrity check)")
    func damagedPages() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/inplaced.db"
            do {
                let store = try StateStore(path: path)
                try store.write { tx throws in
                    for i in 0..<200 {
                        try tx.savePod(makePod(uid: "u\(i)", name: "pod-\(i)"))
                        try tx.appendEvent(makeEvent(podUID: "u\(i)", message: String(repeating: "x", count: 200)))
                    }
                }
                try store.close()
            }
            // close() checkpointed the WAL: the pages are in the database file itself.
            let size = try #require(FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
            #expect(size > 16 * 4096)
            // Keep the 100-byte header and the first page intact, scribble over the rest.
            let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
            try handle.seek(toOffset: 4096)
            try handle.write(contentsOf: Data(repeating: 0xA5, count: size - 4096))
            try handle.close()

            let error = #expect(throws: StoreError.self) { try StateStore(path: path) }
            guard case .corrupt(let errorPath, _)? = error else {
                Issue.record("expected .corrupt, got \(String(describing: error))")
                return
            }
            #expect(errorPath == path)
        }
    }

    @Test("a path that cannot be a database file gives an open error naming it")
    func directoryAsPath() throws {
        try withTemporaryDirectory { dir in
            let error = #expect(throws: StoreError.self) { try StateStore(path: dir) }
            #expect(error?.description.contains(dir) == true)
        }
    }
}

@Suite("WAL checkpoints")
struct CheckpointTests {
    @Test("a commit never checkpoints; the background checkpointer copies the WAL into the file")
    func checkpointsInTheBackground() async throws {
        let dir = NSTemporaryDirectory() + "checkpoint-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/inplaced.db"
        func fileSize() throws -> Int { (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0 }
        // Slow enough that the writes below are all in the WAL before the first checkpoint; no
        // checkpoint at a pause either (a loaded machine may pause between two writes).
        var options = StoreOptions(checkpointIntervalSeconds: 3)
        options.quietCheckpointSeconds = 0
        let store = try StateStore(path: path, options: options)
        #expect(try store.pragma("wal_autocheckpoint") == "0")
        let before = try fileSize()
        for i in 0..<300 {
            _ = try store.write { tx in try tx.appendEvent(makeEvent(reason: "R\(i)", message: String(repeating: "x", count: 2000))) }
        }
        // 600 KB of events, none in the database file yet: no commit checkpointed.
        #expect(try fileSize() == before)
        var after = before
        for _ in 0..<100 where after == before {
            try await Task.sleep(nanoseconds: 100_000_000)
            after = try fileSize()
        }
        #expect(after > before + 500_000)
        try store.close()
    }

    @Test("writes that go on are checkpointed only once they pause for quietCheckpointSeconds")
    func checkpointsWhenWritesPause() async throws {
        let dir = NSTemporaryDirectory() + "quiet-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/inplaced.db"
        func fileSize() throws -> Int { (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0 }
        var options = StoreOptions(checkpointIntervalSeconds: 3600)
        options.quietCheckpointSeconds = 1
        options.walRestartBytes = 0
        let store = try StateStore(path: path, options: options)
        // The store's own set-up (its schema) reaches the file at the first pause: one page before.
        var before = try fileSize()
        for _ in 0..<200 where before <= 4096 {
            try await Task.sleep(nanoseconds: 100_000_000)
            before = try fileSize()
        }
        #expect(before > 4096, "the set-up was never checkpointed")
        // A write every 5 ms for 1.5 s: never a pause of 1 s, so never a checkpoint.
        let clock = ContinuousClock()
        let burst = clock.now
        var i = 0
        while clock.now - burst < .milliseconds(1500) {
            _ = try store.write { tx in try tx.appendEvent(makeEvent(reason: "R\(i)", message: String(repeating: "x", count: 8000))) }
            #expect(try fileSize() == before, "checkpointed during the writes, after write \(i)")
            i += 1
            try await Task.sleep(nanoseconds: 5_000_000)
        }
        // Then the pause: what the writes put in the WAL reaches the file.
        var after = before
        for _ in 0..<100 where after < before + i * 8000 {
            try await Task.sleep(nanoseconds: 100_000_000)
            after = try fileSize()
        }
        #expect(after >= before + i * 8000, "\(i) writes of 8 KB; the file grew by \(after - before) bytes")
        try store.close()
    }

    @Test("the WAL is cut back to 4 MiB once a checkpoint has copied it and writing starts over")
    func walShrinksAfterACheckpoint() async throws {
        let dir = NSTemporaryDirectory() + "walsize-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/inplaced.db"
        func walSize() -> Int { (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0 }
        let store = try StateStore(path: path, options: StoreOptions(maxEventsPerPod: 5000, checkpointIntervalSeconds: 0.1))
        #expect(try store.pragma("journal_size_limit") == String(StateStore.walSizeLimitBytes))
        try store.write { try $0.savePod(makePod()) }
        // One transaction of 12 MB: the WAL grows past it.
        try store.write { tx in
            for i in 0..<1500 { try tx.appendEvent(makeEvent(reason: "R\(i)", message: String(repeating: "x", count: 8000))) }
        }
        #expect(walSize() > 12_000_000)
        // Small writes after the background checkpoint has copied it: the log starts over, cut back.
        var size = walSize()
        for i in 0..<100 where size > StateStore.walSizeLimitBytes {
            try await Task.sleep(nanoseconds: 100_000_000)
            _ = try store.write { tx in try tx.appendEvent(makeEvent(reason: "S\(i)")) }
            size = walSize()
        }
        #expect(size <= StateStore.walSizeLimitBytes)
        try store.close()
    }

    @Test("a steady stream of writes keeps the WAL near walRestartBytes, with no quiet moment to start it over")
    func walStartsOverUnderSteadyWrites() async throws {
        let dir = NSTemporaryDirectory() + "walburst-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/inplaced.db"
        func walSize() -> Int { (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0 }
        var options = StoreOptions(maxEventsPerPod: 100_000, maxEvents: 100_000)
        options.walRestartBytes = 2 << 20
        let store = try StateStore(path: path, options: options)
        try store.write { try $0.savePod(makePod()) }
        // Transactions of about 80 KB until 48 MiB have gone through the log, 800 KB every 25 ms
        // (the checkpointer looks at the log's size every 0.25 s): the periodic checkpoint
        // (every 5 s) never comes.
        let payload = String(repeating: "x", count: 8000)
        var written = 0
        var largest = 0
        var i = 0
        while written < 48 << 20 {
            try store.write { tx in
                for j in 0..<10 { try tx.appendEvent(makeEvent(podUID: "uid-\(i)", reason: "R\(j)", message: payload)) }
            }
            i += 1
            written += 10 * 8000
            largest = max(largest, walSize())
            if i % 10 == 0 { try await Task.sleep(nanoseconds: 25_000_000) }
        }
        #expect(largest < 16 << 20, "the WAL reached \(largest) bytes while 48 MiB went through it")
        #expect(try store.rowCount("events") == i * 10)
        try store.close()
    }
}

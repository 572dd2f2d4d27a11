import Foundation
import Testing

@testable import StateStore

@Suite("State directory lock")
struct LockTests {
    @Test("a second holder is refused, with the holder's PID; after release it succeeds")
    func secondHolderRefused() throws {
        try withTemporaryDirectory { dir in
            let stateDir = dir + "/state"
            let lock = try StateStore.acquireLock(stateDir: stateDir)
            #expect(lock.isHeld)
            #expect(lock.path == stateDir + "/inplaced.lock")
            let content = try String(contentsOfFile: lock.path, encoding: .utf8)
            #expect(content == "\(getpid())\n")

            // flock belongs to the open file description: a second open in this process conflicts.
            let error = #expect(throws: StoreError.self) { try StateStore.acquireLock(stateDir: stateDir) }
            #expect(error == .locked(path: lock.path, holderPID: getpid()))
            #expect(error?.description.contains("pid \(getpid())") == true)

            lock.release()
            lock.release()  // idempotent
            #expect(!lock.isHeld)
            let again = try StateStore.acquireLock(stateDir: stateDir)
            #expect(again.isHeld)
            again.release()
        }
    }

    @Test("dropping the lock object releases the lock")
    func deinitReleases() throws {
        try withTemporaryDirectory { dir in
            do {
                let lock = try StateStore.acquireLock(stateDir: dir)
                #expect(lock.isHeld)
            }
            let again = try StateStore.acquireLock(stateDir: dir)
            #expect(again.isHeld)
        }
    }

    @Test("an unreadable PID in the lock file is reported as unknown")
    func unknownHolder() throws {
        try withTemporaryDirectory { dir in
            let lock = try StateStore.acquireLock(stateDir: dir)
            try "not a pid".write(toFile: lock.path, atomically: false, encoding: .utf8)
            let error = #expect(throws: StoreError.self) { try StateStore.acquireLock(stateDir: dir) }
            #expect(error == .locked(path: lock.path, holderPID: nil))
            lock.release()
        }
    }
}

import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// An exclusive `flock(2)` on `<stateDir>/inplaced.lock`, held for as long as this object lives
/// (or until `release()`), so that a second agent cannot run on the same state directory.
///
/// The holder writes its PID into the file, so that the refusal names it. The lock belongs to the
/// open file description: the kernel drops it when the process exits, however it exits (SIGKILL
/// included), so a stale lock file never blocks a restart. Because it is per open file
/// description, a second `acquireLock` in the same process also fails while the first is held.
/// The file itself is left in place on release (removing it would race with a new holder).
public final class StoreLock: @unchecked Sendable {
    /// The lock file's path.
    public let path: String
    private let mutex = NSLock()
    private var fd: Int32  // -1 once released; guarded by `mutex`

    fileprivate init(path: String, fd: Int32) {
        self.path = path
        self.fd = fd
    }

    deinit { release() }

    /// Releases the lock. Idempotent.
    public func release() {
        mutex.lock()
        defer { mutex.unlock() }
        guard fd >= 0 else { return }
        _ = flock(fd, LOCK_UN)
        closeDescriptor(fd)
        fd = -1
    }

    /// True until `release()`.
    public var isHeld: Bool {
        mutex.lock()
        defer { mutex.unlock() }
        return fd >= 0
    }
}

extension StateStore {
    /// The name of the lock file in the state directory.
    public static let lockFileName = "inplaced.lock"

    /// Takes the exclusive lock on `<stateDir>/inplaced.lock` (creating the directory and the file
    /// when missing) and writes this process's PID into it. Never waits.
    /// - Returns: the held lock; keep it alive for as long as the store is used.
    /// - Throws: `StoreError.locked(path:holderPID:)` when another holder has it (the PID is the one
    ///   found in the file, nil if unreadable); `StoreError.lockFailed` when the directory or file
    ///   cannot be created or opened.
    public static func acquireLock(stateDir: String) throws -> StoreLock {
        let path = (stateDir as NSString).appendingPathComponent(lockFileName)
        do {
            try FileManager.default.createDirectory(atPath: stateDir, withIntermediateDirectories: true)
        } catch {
            throw StoreError.lockFailed(path: path, detail: "cannot create directory \(stateDir): \(error.localizedDescription)")
        }
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw StoreError.lockFailed(path: path, detail: "open: \(errnoDescription())")
        }
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            if code == EINTR { continue }
            defer { closeDescriptor(fd) }
            if code == EWOULDBLOCK {
                throw StoreError.locked(path: path, holderPID: readPID(fd: fd))
            }
            throw StoreError.lockFailed(path: path, detail: "flock: \(errnoDescription(code))")
        }
        let pid = "\(getpid())\n"
        let written = ftruncate(fd, 0) == 0 && pid.withCString { pwrite(fd, $0, strlen($0), 0) } == pid.utf8.count
        if !written {
            let detail = errnoDescription()
            closeDescriptor(fd)
            throw StoreError.lockFailed(path: path, detail: "writing pid: \(detail)")
        }
        return StoreLock(path: path, fd: fd)
    }

    private static func readPID(fd: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        let text = String(decoding: buffer[..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return Int32(text)
    }

    private static func errnoDescription(_ code: Int32 = errno) -> String {
        "\(String(cString: strerror(code))) (errno \(code))"
    }
}

/// `close(2)`, out of reach of `StateStore.close()` in name lookup.
private func closeDescriptor(_ fd: Int32) {
    _ = close(fd)
}

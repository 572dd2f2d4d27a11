import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A file of `bytes` zero bytes beside the database (`<database>.reserve`), given back when the
/// state volume is full: with no free block at all SQLite cannot even checkpoint its WAL into the
/// database file, so a store that filled its volume could not recover without an operator. Once
/// released, the reserve's blocks let the checkpoint and the pending writes go through; it is
/// made again when the volume has four times its size free.
final class SpaceReserve: Sendable {
    let path: String
    let bytes: Int64
    private let released = Mutex(false)

    init(databasePath: String, bytes: Int64) {
        path = databasePath + ".reserve"
        self.bytes = bytes
    }

    /// Whether the reserve was given back and not yet made again.
    var isReleased: Bool { released.withLock { $0 } }

    /// Makes the reserve when it is missing and the volume has room for it and three times more
    /// (written, not sparse, so its blocks are really taken). Errors leave no partial file.
    func ensure() {
        var st = stat()
        if stat(path, &st) == 0, Int64(st.st_size) >= bytes {
            released.withLock { $0 = false }
            return
        }
        guard Self.freeBytes(directory: (path as NSString).deletingLastPathComponent) >= 4 * bytes else { return }
        let fd = open(path + ".tmp", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { return }
        var ok = true
        let chunk = [UInt8](repeating: 0, count: 1 << 16)
        var written: Int64 = 0
        while ok, written < bytes {
            let n = chunk.withUnsafeBytes { write(fd, $0.baseAddress, Int(min(Int64(chunk.count), bytes - written))) }
            if n <= 0 { ok = false } else { written += Int64(n) }
        }
        ok = ok && fsync(fd) == 0
        close(fd)
        if ok, rename(path + ".tmp", path) == 0 {
            released.withLock { $0 = false }
        } else {
            unlink(path + ".tmp")
        }
    }

    /// Gives the reserve's space back to the volume.
    /// - Returns: true when it was there and is now removed.
    @discardableResult
    func release() -> Bool {
        let removed = unlink(path) == 0
        if removed { released.withLock { $0 = true } }
        return removed
    }

    /// Bytes free for an unprivileged writer on the volume of `directory` (0 when unknown).
    static func freeBytes(directory: String) -> Int64 {
        var vfs = statvfs()
        guard statvfs(directory.isEmpty ? "." : directory, &vfs) == 0 else { return 0 }
        return Int64(vfs.f_bavail) * Int64(vfs.f_frsize)
    }
}

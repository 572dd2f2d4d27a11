import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Which file a path named when the store opened it (device and inode), to tell when the
/// database file has been removed or replaced behind the open store: SQLite keeps writing to the
/// open file, which is then no longer in the directory, and a restarted agent would find an
/// empty store.
struct FileIdentity: Sendable, Hashable {
    let device: UInt64
    let inode: UInt64

    /// The identity of the file at `path` now; nil when it cannot be read.
    init?(path: String) {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        device = UInt64(st.st_dev)
        inode = UInt64(st.st_ino)
    }

    /// What is wrong with `path` against this identity: nil when it still names the same file.
    func problem(path: String) -> String? {
        guard let now = FileIdentity(path: path) else {
            return "the database file \(path) was removed while the store had it open: writes go to the removed file "
                + "and are lost when inplaced stops; restart inplaced (it adopts the running containers)"
        }
        if now != self {
            return "the database file \(path) was replaced while the store had it open: writes go to the old file; "
                + "restart inplaced to use the file now in place"
        }
        return nil
    }
}

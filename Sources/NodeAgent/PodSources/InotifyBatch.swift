import PodAPI

#if canImport(Glibc)
    import Glibc
#endif

/// How one read of inotify events on the manifest directory changes what the source must look
/// at: a pure function of the events, the names still being written and the time, so the
/// watcher thread only reads and signals.
///
/// A file is looked at once its write is complete: `IN_CLOSE_WRITE`, a rename into the
/// directory (`IN_MOVED_TO`, an editor's or `kubectl`-style atomic write), `IN_MOVED_FROM`,
/// `IN_DELETE` and `IN_ATTRIB` are complete at once; `IN_CREATE` of a regular file waits for its
/// `IN_CLOSE_WRITE`, for at most ``maxSettleSeconds`` (a hard link or a file kept open is then
/// read as it is). So the settle delay is zero for a finished write and adapts to a slow writer,
/// instead of a fixed pause after every event.
struct InotifyBatch {
    /// One inotify event: its mask and the entry name (empty for the directory itself).
    struct Event: Equatable, Sendable {
        var mask: UInt32
        var name: String
    }

    /// The longest wait, in seconds, for the `IN_CLOSE_WRITE` of a file being written.
    static let maxSettleSeconds = 0.2

    /// Names being written (created, not closed yet) and when to stop waiting for them
    /// (seconds, the watcher's monotonic clock).
    var writing: [String: Double] = [:]

    /// Takes one batch read at `now` (seconds): returns what is complete now (including files
    /// whose wait ran out) and whether the watch on the directory is gone (it must be added
    /// again). Names that are neither manifests nor Kubernetes' `..`-prefixed atomic-writer
    /// entries (editor swap files, `.tmp` files) are ignored; a subdirectory or a `..data`
    /// swap asks for a rescan, since files behind a symlink change without an event of their own.
    mutating func take(_ events: [Event], now: Double) -> (changes: DirectoryChanges, watchGone: Bool) {
        var out = DirectoryChanges()
        var watchGone = false
        for e in events {
            if e.mask & UInt32(IN_Q_OVERFLOW) != 0 {
                out.rescan = true
                continue
            }
            if e.mask & UInt32(IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED) != 0 {
                watchGone = true
                out.rescan = true
                continue
            }
            guard !e.name.isEmpty else { continue }
            if e.mask & UInt32(IN_ISDIR) != 0 || e.name.hasPrefix("..") {
                out.rescan = true
                continue
            }
            guard ManifestLoader.isManifestName(e.name) else { continue }
            if e.mask & UInt32(IN_CREATE) != 0 && e.mask & UInt32(IN_CLOSE_WRITE) == 0 {
                writing[e.name] = now + Self.maxSettleSeconds
                continue
            }
            writing[e.name] = nil
            out.names.insert(e.name)
        }
        out.formUnion(expire(now: now))
        return (out, watchGone)
    }

    /// Files whose wait for `IN_CLOSE_WRITE` ran out by `now` (seconds), as complete changes.
    mutating func expire(now: Double) -> DirectoryChanges {
        var out = DirectoryChanges()
        for (name, deadline) in writing where deadline <= now {
            out.names.insert(name)
            writing[name] = nil
        }
        return out
    }

    /// Milliseconds until the next wait runs out (at most `cap`), for poll(2)'s timeout.
    func pollTimeout(now: Double, cap: Int32) -> Int32 {
        guard let next = writing.values.min() else { return cap }
        return Int32(min(Double(cap), max(0, (next - now) * 1000).rounded(.up)))
    }
}

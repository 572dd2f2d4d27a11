import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Watches one directory with inotify and signals on every change of its entries (create,
/// write-close, delete, rename); a periodic tick covers filesystems where inotify says nothing
/// and a directory that does not exist yet. Signals coalesce: a burst of edits is one signal.
final class DirectoryWatcher: @unchecked Sendable {
    private let path: String
    private let pollSeconds: Double
    private var fd: Int32 = -1
    private var stopped = false
    private let lock = NSLock()

    /// - Parameters: `pollSeconds`, the fallback rescan period in seconds (kubelet: 20 s).
    init(path: String, pollSeconds: Double) {
        self.path = path
        self.pollSeconds = pollSeconds
    }

    /// A stream that yields once at start and after every change.
    func changes() -> AsyncStream<Void> {
        let (stream, cont) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        cont.yield()
        #if canImport(Glibc)
            let fd = inotify_init1(Int32(IN_CLOEXEC))
            lock.lock()
            self.fd = fd
            lock.unlock()
            if fd >= 0 {
                let path = self.path
                let thread = Thread { [weak self] in
                    var watching: Int32 = -1
                    var buf = [UInt8](repeating: 0, count: 64 * 1024)
                    while true {
                        guard let self, !self.isStopped else { break }
                        if watching < 0 {
                            let mask = UInt32(
                                IN_CREATE | IN_CLOSE_WRITE | IN_DELETE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE_SELF | IN_MOVE_SELF
                                    | IN_ATTRIB)
                            watching = inotify_add_watch(fd, path, mask)
                            if watching < 0 {
                                Thread.sleep(forTimeInterval: 0.5)
                                continue
                            }
                            cont.yield()
                        }
                        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                        let ready = poll(&pfd, 1, 500)
                        if ready <= 0 { continue }
                        let n = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                        if n <= 0 { continue }
                        var offset = 0
                        var selfGone = false
                        while offset + MemoryLayout<inotify_event>.size <= n {
                            let ev = buf.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: inotify_event.self) }
                            if ev.mask & UInt32(IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED) != 0 { selfGone = true }
                            offset += MemoryLayout<inotify_event>.size + Int(ev.len)
                        }
                        if selfGone {
                            inotify_rm_watch(fd, watching)
                            watching = -1
                        }
                        cont.yield()
                    }
                    close(fd)
                }
                thread.name = "inplaced-inotify"
                thread.start()
            }
        #endif
        let period = pollSeconds
        let ticker = Task {
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: UInt64(min(max(period, 0.05), 86_400) * 1e9))
                cont.yield()
            }
        }
        cont.onTermination = { [weak self] _ in
            ticker.cancel()
            self?.stop()
        }
        return stream
    }

    private var isStopped: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopped
    }

    func stop() {
        lock.lock()
        stopped = true
        lock.unlock()
    }
}

import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Watches one directory with inotify and collects which entries changed (``DirectoryChanges``,
/// classified by ``InotifyBatch``); the consumer is signalled and takes everything collected
/// since it last took, so a burst of edits is one wake-up and no name is lost. A periodic tick
/// asks for a rescan, for filesystems where inotify says nothing and a directory that does not
/// exist yet.
final class DirectoryWatcher: @unchecked Sendable {
    private let path: String
    private let pollSeconds: Double
    private var stopped = false
    private var pending = DirectoryChanges(rescan: true)
    private let lock = NSLock()
    /// The open ``changes()`` streams, finished by ``stop()`` so that their consumer wakes at once
    /// (it would otherwise wait for the next change or tick, up to `pollSeconds`).
    private var streams: [AsyncStream<Void>.Continuation] = []

    /// - Parameters: `pollSeconds`, the fallback rescan period in seconds (kubelet: 20 s).
    init(path: String, pollSeconds: Double) {
        self.path = path
        self.pollSeconds = pollSeconds
    }

    /// Everything that changed since the last call (the first call: a rescan).
    func take() -> DirectoryChanges {
        lock.lock()
        defer { lock.unlock() }
        let out = pending
        pending = DirectoryChanges()
        return out
    }

    private func add(_ changes: DirectoryChanges) -> Bool {
        guard !changes.isEmpty else { return false }
        lock.lock()
        pending.formUnion(changes)
        lock.unlock()
        return true
    }

    /// A stream that yields once at start and whenever changes are waiting to be taken.
    func changes() -> AsyncStream<Void> {
        let (stream, cont) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        cont.yield()
        lock.lock()
        let alreadyStopped = stopped
        if !alreadyStopped { streams.append(cont) }
        lock.unlock()
        if alreadyStopped {
            cont.finish()
            return stream
        }
        #if canImport(Glibc)
            let fd = inotify_init1(Int32(IN_CLOEXEC))
            if fd >= 0 {
                let thread = Thread { [weak self] in
                    self?.watch(fd, cont)
                    close(fd)
                }
                thread.name = "inplaced-inotify"
                thread.start()
            }
        #endif
        let period = pollSeconds
        let ticker = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: UInt64(min(max(period, 0.05), 86_400) * 1e9))
                if self?.add(DirectoryChanges(rescan: true)) == true { cont.yield() }
            }
        }
        cont.onTermination = { [weak self] _ in
            ticker.cancel()
            self?.stop()
        }
        return stream
    }

    #if canImport(Glibc)
        /// The watcher thread: (re)adds the watch, reads events, hands them to ``InotifyBatch``.
        private func watch(_ fd: Int32, _ cont: AsyncStream<Void>.Continuation) {
            var watching: Int32 = -1
            var batch = InotifyBatch()
            var buf = [UInt8](repeating: 0, count: 64 * 1024)
            let mask = UInt32(
                IN_CREATE | IN_CLOSE_WRITE | IN_DELETE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE_SELF | IN_MOVE_SELF | IN_ATTRIB)
            while !isStopped {
                if watching < 0 {
                    watching = inotify_add_watch(fd, path, mask)
                    if watching < 0 {
                        Thread.sleep(forTimeInterval: 0.5)
                        continue
                    }
                    // Whatever happened while nothing watched is found by a rescan.
                    if add(DirectoryChanges(rescan: true)) { cont.yield() }
                }
                var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                let ready = poll(&pfd, 1, batch.pollTimeout(now: Self.monotonicSeconds(), cap: 500))
                var events: [InotifyBatch.Event] = []
                if ready > 0 {
                    let n = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                    if n > 0 { events = Self.decode(buf, count: n) }
                }
                let (changes, gone) = batch.take(events, now: Self.monotonicSeconds())
                if gone, watching >= 0 {
                    inotify_rm_watch(fd, watching)
                    watching = -1
                }
                if add(changes) { cont.yield() }
            }
        }

        /// The events in the first `count` bytes of `buf` (`struct inotify_event` records).
        static func decode(_ buf: [UInt8], count n: Int) -> [InotifyBatch.Event] {
            var out: [InotifyBatch.Event] = []
            var offset = 0
            let header = MemoryLayout<inotify_event>.size
            buf.withUnsafeBytes { raw in
                while offset + header <= n {
                    let ev = raw.loadUnaligned(fromByteOffset: offset, as: inotify_event.self)
                    let len = Int(ev.len)
                    var name = ""
                    if len > 0, offset + header + len <= n {
                        let bytes = raw[(offset + header)..<(offset + header + len)]
                        name = String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
                    }
                    out.append(InotifyBatch.Event(mask: ev.mask, name: name))
                    offset += header + len
                }
            }
            return out
        }

        static func monotonicSeconds() -> Double {
            var ts = timespec()
            clock_gettime(CLOCK_MONOTONIC, &ts)
            return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
        }
    #endif

    private var isStopped: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopped
    }

    /// Stops watching and ends every ``changes()`` stream now.
    func stop() {
        lock.lock()
        stopped = true
        let open = streams
        streams = []
        lock.unlock()
        for cont in open { cont.finish() }
    }
}

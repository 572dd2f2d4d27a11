import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A thread that stops the run when one input has been loading for longer than a bound: the
/// loader must never hang, and an input that does is written (as `CrashGuard` keeps it) to the
/// hang path given with it, then the process exits with status 3.
enum HangWatchdog {
    /// The monotonic start (ns) of the input being loaded; 0 when none is.
    nonisolated(unsafe) static let started = UnsafeMutablePointer<UInt64>.allocate(capacity: 1)
    nonisolated(unsafe) static let hangPath = UnsafeMutablePointer<CChar>.allocate(capacity: CrashState.pathCapacity)

    static func start(abortAfter seconds: Double) {
        started.pointee = 0
        hangPath[0] = 0
        let limit = UInt64(seconds * 1e9)
        Thread.detachNewThread {
            while true {
                usleep(100_000)
                let s = started.pointee
                if s != 0, Clock.nanoseconds() &- s > limit {
                    let fd = open(hangPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
                    if fd >= 0 {
                        _ = write(fd, CrashState.buffer, CrashState.length)
                        close(fd)
                    }
                    let message =
                        "\ninplaced-fuzz: an input has been loading for more than \(seconds) s: a hang; it is saved to \(String(cString: hangPath))\n"
                    FileHandle.standardError.write(Data(message.utf8))
                    _exit(3)
                }
            }
        }
    }

    /// Marks the start of an input whose hang file would be `path`.
    static func begin(path: String) {
        var k = 0
        for c in path.utf8 where k < CrashState.pathCapacity - 1 {
            hangPath[k] = CChar(bitPattern: c)
            k += 1
        }
        hangPath[k] = 0
        started.pointee = Clock.nanoseconds()
    }

    static func end() { started.pointee = 0 }
}

/// The monotonic clock and the process's memory.
enum Clock {
    static func nanoseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    /// CPU time of the calling thread, ns: what an input costs, whatever else the machine runs.
    static func threadCPUNanoseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    /// Peak resident set size, in KiB (getrusage's ru_maxrss, which Linux gives in KiB).
    static func peakRSSKiB() -> Int {
        var usage = rusage()
        #if os(Linux)
            getrusage(RUSAGE_SELF.rawValue, &usage)
            return Int(usage.ru_maxrss)
        #else
            getrusage(RUSAGE_SELF, &usage)
            return Int(usage.ru_maxrss) / 1024
        #endif
    }

    /// Current resident set size, in KiB (from /proc/self/statm on Linux; 0 elsewhere).
    static func currentRSSKiB() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE))) / 1024
    }
}

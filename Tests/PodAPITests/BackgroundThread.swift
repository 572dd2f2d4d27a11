import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Runs CPU-bound test work (thousands of fuzz inputs, documents of megabytes) on a thread of its
/// own at the lowest CPU priority (nice 19 on Linux, where a nice value is a thread's own).
///
/// On the test runner's cooperative threads (2 on a 2-core machine) such a loop held up every
/// other test for seconds: timers, replies from etcd and HTTP probes waited, and deadlines of 5 s
/// expired in tests that had nothing to do with it. At nice 19 it takes only what the rest leaves.
enum BackgroundThread {
    /// Runs `body` on a new low-priority thread (8 MiB stack) and returns its result.
    static func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            let thread = Thread {
                #if canImport(Glibc)
                    // `who` 0 is the calling thread on Linux.
                    _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 19)
                #endif
                continuation.resume(returning: body())
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
    }
}

import Foundation

/// One test at a time that disturbs the shared test etcd cluster (stops a member, compacts the
/// whole keyspace, runs a fleet of processes on it). EtcdStoreTests and FleetTests run in the same
/// test process and in parallel; an exclusive `flock(2)` on `$TMPDIR/inplaced-etcd-tests.lock`
/// keeps them apart (a lock is per open file description, so two holders in one process exclude
/// each other too). Waiting polls every 100 ms and never blocks a thread of the cooperative pool.
public enum EtcdClusterLock {
    public static let path = NSTemporaryDirectory() + "/inplaced-etcd-tests.lock"

    /// Runs `body` holding the lock; the lock is released when `body` returns or throws.
    /// - Throws: `POSIXError` when the lock file cannot be opened, or what `body` throws.
    public static func exclusive<T>(_ body: () async throws -> T) async throws -> T {
        let fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        defer { close(fd) }
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            try await Task.sleep(for: .milliseconds(100))
        }
        defer { flock(fd, LOCK_UN) }
        return try await body()
    }
}

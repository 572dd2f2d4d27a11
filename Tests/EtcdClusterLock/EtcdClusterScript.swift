import Foundation

/// `scripts/etcd-cluster.sh` run from a test (stop-member, start-member) without blocking a thread
/// of the cooperative pool: the script's exit is awaited through `Process.terminationHandler`.
/// `start-member` waits for the member to be healthy (seconds); a `waitUntilExit` there held one of
/// the runner's two cooperative threads for that long and starved the tests beside it.
public enum EtcdClusterScript {
    /// The repository's `scripts/etcd-cluster.sh`.
    public static let path: String = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("scripts/etcd-cluster.sh").path

    /// Runs `etcd-cluster.sh ARGS…` to its exit; its standard output is discarded, its standard
    /// error goes to the test's.
    /// - Returns: the script's exit status.
    /// - Throws: what `Process.run` throws when bash cannot be started.
    @discardableResult
    public static func run(_ arguments: [String]) async throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [path] + arguments
        process.standardOutput = FileHandle.nullDevice
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Int32, any Error>) in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
    }
}

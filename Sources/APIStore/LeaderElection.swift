/// Leader election among controller replicas: at most one holds leadership at a time, and a
/// holder that stops renewing loses it within the lease TTL (etcd's concurrency/election model).
public protocol LeaderElection: Sendable {
    /// Waits until this replica (`identity`) is the leader, then runs `work` while it stays
    /// leader. When leadership is lost (the lease expired or could not be renewed) `work`'s task
    /// is cancelled and the call returns `false`; when `work` returns, leadership is resigned and
    /// the call returns `true`.
    /// - Throws: `CancellationError` when the calling task is cancelled while waiting.
    func runAsLeader(identity: String, _ work: @escaping @Sendable () async -> Void) async throws -> Bool

    /// The identity of the current leader, nil when none.
    func currentLeader() async throws(StoreError) -> String?
}

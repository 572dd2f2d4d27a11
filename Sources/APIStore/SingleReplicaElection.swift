/// Leader election for a store only one controller process may open (SQLite): that process is
/// always the leader.
public struct SingleReplicaElection: LeaderElection {
    public init() {}

    public func runAsLeader(identity: String, _ work: @escaping @Sendable () async -> Void) async throws -> Bool {
        try Task.checkCancellation()
        await work()
        return true
    }

    public func currentLeader() async throws(StoreError) -> String? { nil }
}

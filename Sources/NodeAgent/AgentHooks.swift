import StateStore

/// Fault-injection seam for tests. The default does nothing. A test's hook may suspend until
/// the task is cancelled; the agent then stops at that point as a killed process would.
public struct AgentHooks: Sendable {
    /// Throwing stops the agent's work at that point, as a killed process stops.
    public var checkpoint: @Sendable (_ podKey: String, _ container: String, _ point: CrashPoint) async throws -> Void

    public init(checkpoint: @escaping @Sendable (String, String, CrashPoint) async throws -> Void) {
        self.checkpoint = checkpoint
    }

    public static let none = AgentHooks { _, _, _ in }
}

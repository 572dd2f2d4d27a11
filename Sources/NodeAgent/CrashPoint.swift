import StateStore

/// A point in the in-place update where a test may freeze the agent to simulate a crash:
/// right before the agent acts on a step it has just persisted, or right after it acted and
/// before it persists the result.
public enum CrashPoint: Hashable, Sendable {
    case beforeAct(UpdateStep)
    case afterAct(UpdateStep)
    /// A container's start has written its intent (the record that counts the restart) and has
    /// not called CreateContainer yet.
    case intentWritten
    /// A container's start has stored the created container's ID (still `ContainerCreating`)
    /// and has not called StartContainer yet.
    case createdWritten
}

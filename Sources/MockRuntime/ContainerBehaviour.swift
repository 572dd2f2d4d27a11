/// What containers started from an image do on their own (set with
/// ``MockRuntime/setBehaviour(forImage:_:)``).
public enum ContainerBehaviour: Sendable, Hashable {
    /// Run until stopped (the default).
    case runUntilStopped
    /// Exit by itself `seconds` after a successful start with exit code `code`. The reason is
    /// `reason` when given, else containerd's: `Completed` for 0, `Error` otherwise.
    case exitAfterStart(seconds: Double, code: Int32, reason: String? = nil)
    /// `StartContainer` fails with `.failed(call: "StartContainer", detail: ...)` containing
    /// `message`, and the container is left exited with code 128 and reason `StartError`,
    /// as containerd leaves a container whose task could not start.
    case failToStart(message: String)

    /// Crash right after every start: exit code 1, reason `Error`.
    public static var crashLoop: ContainerBehaviour { .exitAfterStart(seconds: 0, code: 1) }
}

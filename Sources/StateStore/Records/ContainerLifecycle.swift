import Foundation

/// Where one container of a pod is in its life, as the agent recorded it: one value instead of a
/// Kubernetes ContainerState JSON string. Stored as JSON in `containers.lifecycle` (schema v2);
/// dates inside are seconds since 2001-01-01T00:00:00Z, as every date of the store.
///
/// The two first cases are the agent's own crash-safety steps, which a ContainerState cannot tell
/// apart from a wait (kubelet shows both as `waiting: ContainerCreating`):
/// - ``creating``: the intent of a start, written before CreateContainer. It already counts the
///   restart, so an agent stopped here must not count it again.
/// - ``created``: the container exists (its ID is stored) and StartContainer was not confirmed.
public enum ContainerLifecycle: Sendable, Hashable, Codable {
    /// About to call CreateContainer (no container ID yet).
    case creating
    /// Created; StartContainer not yet confirmed.
    case created
    /// Running since `startedAt` (nil when the runtime did not say).
    case running(startedAt: Date?)
    /// Ended, as the runtime reported it (or as the agent fabricated it when the runtime lost it).
    case exited(ContainerTermination)
    /// Not running and not being started: `reason` is kubelet's (`CrashLoopBackOff`,
    /// `ImagePullBackOff`, `ErrImagePull`, `CreateContainerError`, `RunContainerError`, ...).
    case waiting(reason: String, message: String?)
    /// Nothing recorded yet (a record made before any start, shown as the pod's default wait).
    case unknown

    /// The termination when the container has exited.
    public var termination: ContainerTermination? {
        if case .exited(let t) = self { return t }
        return nil
    }

    /// The reason of a wait, nil for any other state.
    public var waitingReason: String? {
        if case .waiting(let reason, _) = self { return reason }
        return nil
    }

    /// True while the container runs.
    public var isRunning: Bool {
        if case .running = self { return true }
        return false
    }
}

extension ContainerLifecycle {
    /// The JSON stored in the `lifecycle` column.
    var storeJSON: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(self)) ?? Data(#"{"unknown":{}}"#.utf8), as: UTF8.self)
    }

    /// Decodes the `lifecycle` column.
    /// - Throws: `DecodingError` when the text is not a stored lifecycle.
    init(storeJSON: String) throws {
        self = try JSONDecoder().decode(ContainerLifecycle.self, from: Data(storeJSON.utf8))
    }
}

import ContainerRuntime
import PodAPI

/// A probe port that cannot be resolved.
public struct ProbePortError: Error, Sendable, Hashable {
    public var message: String
}

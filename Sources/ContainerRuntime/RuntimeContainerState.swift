/// CRI `ContainerState`.
public enum RuntimeContainerState: String, Sendable, Hashable, Codable {
    case created = "CONTAINER_CREATED"
    case running = "CONTAINER_RUNNING"
    case exited = "CONTAINER_EXITED"
    case unknown = "CONTAINER_UNKNOWN"
}

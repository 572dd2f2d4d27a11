/// Every method of ``RuntimeService``, to name a call in latency and fault settings and in the
/// call log.
public enum MockMethod: String, Sendable, Hashable, Codable, CaseIterable {
    case version
    case runPodSandbox
    case stopPodSandbox
    case removePodSandbox
    case podSandboxStatus
    case listPodSandboxes
    case createContainer
    case startContainer
    case stopContainer
    case removeContainer
    case listContainers
    case containerStatus
    case execSync
    case pullImage
    case imageStatus
    case listImages
    case getContainerEvents

    /// The CRI RPC name (`"PullImage"`, `"ListPodSandbox"`, ...), as ``RuntimeError`` cases carry it.
    public var criName: String {
        switch self {
        case .version: return "Version"
        case .runPodSandbox: return "RunPodSandbox"
        case .stopPodSandbox: return "StopPodSandbox"
        case .removePodSandbox: return "RemovePodSandbox"
        case .podSandboxStatus: return "PodSandboxStatus"
        case .listPodSandboxes: return "ListPodSandbox"
        case .createContainer: return "CreateContainer"
        case .startContainer: return "StartContainer"
        case .stopContainer: return "StopContainer"
        case .removeContainer: return "RemoveContainer"
        case .listContainers: return "ListContainers"
        case .containerStatus: return "ContainerStatus"
        case .execSync: return "ExecSync"
        case .pullImage: return "PullImage"
        case .imageStatus: return "ImageStatus"
        case .listImages: return "ListImages"
        case .getContainerEvents: return "GetContainerEvents"
        }
    }
}

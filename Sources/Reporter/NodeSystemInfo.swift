import PodAPI

// The core/v1 Node subset that a node heartbeat carries, with the API's JSON names.

/// A core/v1 NodeSystemInfo. Every field is always present, as the API server renders it.
public struct NodeSystemInfo: Codable, Hashable, Sendable {
    public var machineID: String
    public var systemUUID: String
    public var bootID: String
    public var kernelVersion: String
    public var osImage: String
    /// `<runtime name>://<runtime version>`, e.g. `containerd://1.7.22`.
    public var containerRuntimeVersion: String
    /// The agent's version, `inplaced/<version>`.
    public var kubeletVersion: String
    /// Deprecated by Kubernetes; always empty.
    public var kubeProxyVersion: String
    /// `linux`.
    public var operatingSystem: String
    /// GOARCH naming: `amd64`, `arm64`, ...
    public var architecture: String

    public init(
        machineID: String = "", systemUUID: String = "", bootID: String = "", kernelVersion: String = "",
        osImage: String = "", containerRuntimeVersion: String, kubeletVersion: String,
        kubeProxyVersion: String = "", operatingSystem: String = "linux", architecture: String
    ) {
        self.machineID = machineID
        self.systemUUID = systemUUID
        self.bootID = bootID
        self.kernelVersion = kernelVersion
        self.osImage = osImage
        self.containerRuntimeVersion = containerRuntimeVersion
        self.kubeletVersion = kubeletVersion
        self.kubeProxyVersion = kubeProxyVersion
        self.operatingSystem = operatingSystem
        self.architecture = architecture
    }
}

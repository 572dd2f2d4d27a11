import ContainerRuntime
import PodAPI

/// What a probe runs against: the container (its runtime ID, and its spec for named ports) and
/// the address that `httpGet` and `tcpSocket` use when they name no host.
public struct ProbeTarget: Sendable, Hashable {
    /// The runtime's container ID (no `<runtime>://` prefix), for exec probes.
    public var containerID: String
    /// The container's spec: its `ports` resolve named probe ports.
    public var container: Container
    /// The pod IP, or the node IP for host-network pods: the default host of network probes.
    public var podIP: String

    public init(containerID: String, container: Container, podIP: String) {
        self.containerID = containerID
        self.container = container
        self.podIP = podIP
    }

    /// kubelet's extractPort: a number, or the named container port, or a name that is a number.
    /// - Returns: the port, or the error message kubelet gives.
    public func resolve(_ port: Probe.PortValue) -> Result<Int, ProbePortError> {
        let n: Int64
        switch port {
        case .number(let v): n = v
        case .name(let name):
            if let p = container.containerPort(named: name) {
                n = p
            } else if let v = Int64(name) {
                n = v
            } else {
                return .failure(ProbePortError(message: "strconv.Atoi: parsing \"\(name)\": invalid syntax"))
            }
        }
        guard n > 0 && n < 65536 else { return .failure(ProbePortError(message: "invalid port number: \(n)")) }
        return .success(Int(n))
    }
}

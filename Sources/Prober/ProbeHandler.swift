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

/// A probe port that cannot be resolved.
public struct ProbePortError: Error, Sendable, Hashable {
    public var message: String
}

/// The seam between the agent's prober manager and the probe handlers (kubelet's `prober`):
/// runs one probe once and says what it found. Implementations must return within about the
/// probe's `timeoutSeconds` and never throw.
public protocol ProbeHandler: Sendable {
    func run(_ probe: Probe, target: ProbeTarget) async -> ProbeOutcome
}

/// The handler the agent uses: `exec` through the runtime's ExecSync, `httpGet` with
/// AsyncHTTPClient, `tcpSocket` with a NIO connect; `grpc` is not supported.
public struct ProbeRunner: ProbeHandler {
    public static let grpcUnsupported = "grpc probes are not supported by inplaced"

    let exec: ExecProber
    let http: HTTPProber
    let tcp: TCPProber

    /// - Parameters:
    ///   - runtime: runs exec probes (CRI ExecSync).
    ///   - userAgent: the `User-Agent` of HTTP probes, e.g. `kube-probe/1.31`.
    public init(runtime: any RuntimeService, userAgent: String) {
        exec = ExecProber(runtime: runtime)
        http = HTTPProber(userAgent: userAgent)
        tcp = TCPProber()
    }

    public func run(_ probe: Probe, target: ProbeTarget) async -> ProbeOutcome {
        let timeout = max(1, probe.timeoutSeconds)
        switch probe.handler {
        case .exec(let command)?:
            return await exec.probe(containerID: target.containerID, command: command, timeoutSeconds: timeout)
        case .httpGet(let action)?:
            switch target.resolve(action.port) {
            case .failure(let e): return .error(message: e.message)
            case .success(let port):
                return await http.probe(scheme: action.scheme, host: action.host ?? target.podIP, port: port, path: action.path,
                                        headers: action.httpHeaders.map { ($0.name, $0.value) }, timeoutSeconds: timeout)
            }
        case .tcpSocket(let host, let port)?:
            switch target.resolve(port) {
            case .failure(let e): return .error(message: e.message)
            case .success(let p): return await tcp.probe(host: host ?? target.podIP, port: p, timeoutSeconds: timeout)
            }
        case .grpc?:
            return .unsupported(message: Self.grpcUnsupported)
        case nil:
            return .error(message: "missing probe handler")
        }
    }
}

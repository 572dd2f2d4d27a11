import ContainerRuntime
import PodAPI

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
                return await http.probe(
                    scheme: action.scheme, host: action.host ?? target.podIP, port: port, path: action.path,
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

/// A core/v1 Probe, read from a container's `other` bag (`livenessProbe`, `readinessProbe`,
/// `startupProbe`). A typed view only: the container keeps the probe as raw JSON, so manifests
/// round-trip unchanged and the kubelet hash (which renders the bag) is untouched.
///
/// Field names are Kubernetes': `exec.command`, `httpGet.{path,port,host,scheme,httpHeaders}`,
/// `tcpSocket.{port,host}`, `grpc.{port,service}`, `initialDelaySeconds`, `timeoutSeconds`,
/// `periodSeconds`, `successThreshold`, `failureThreshold`, `terminationGracePeriodSeconds`.
/// Values absent or zero take the API server's defaults (SetDefaults_Probe).
public struct Probe: Hashable, Sendable {
    /// A port given as a number or as the name of one of the container's ports (`intstr.IntOrString`).
    public enum PortValue: Hashable, Sendable {
        case number(Int64)
        case name(String)
    }

    /// One HTTP header of `httpGet.httpHeaders`.
    public struct HTTPHeader: Hashable, Sendable {
        public var name: String
        public var value: String
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// `httpGet`.
    public struct HTTPGetAction: Hashable, Sendable {
        /// The path, default `/`.
        public var path: String
        public var port: PortValue
        /// The host to connect to; nil means the pod IP.
        public var host: String?
        /// `HTTP` (default) or `HTTPS`.
        public var scheme: String
        public var httpHeaders: [HTTPHeader]
        public init(path: String = "/", port: PortValue, host: String? = nil, scheme: String = "HTTP", httpHeaders: [HTTPHeader] = []) {
            self.path = path
            self.port = port
            self.host = host
            self.scheme = scheme
            self.httpHeaders = httpHeaders
        }
    }

    /// The probe's handler: exactly one of the four kinds the API allows.
    public enum Handler: Hashable, Sendable {
        case exec(command: [String])
        case httpGet(HTTPGetAction)
        /// `tcpSocket`: host nil means the pod IP.
        case tcpSocket(host: String?, port: PortValue)
        case grpc(port: Int64, service: String?)
    }

    /// nil when the JSON names no handler kind this type knows.
    public var handler: Handler?
    /// Seconds after the container started before the first probe (default 0).
    public var initialDelaySeconds: Int64
    /// Seconds one probe may take (default 1).
    public var timeoutSeconds: Int64
    /// Seconds between probes (default 10).
    public var periodSeconds: Int64
    /// Consecutive successes that make the result Success (default 1).
    public var successThreshold: Int64
    /// Consecutive failures that make the result Failure (default 3).
    public var failureThreshold: Int64
    /// Grace for the kill a failed liveness or startup probe causes; nil: the pod's.
    public var terminationGracePeriodSeconds: Int64?

    public init(
        handler: Handler?, initialDelaySeconds: Int64 = 0, timeoutSeconds: Int64 = 1, periodSeconds: Int64 = 10,
        successThreshold: Int64 = 1, failureThreshold: Int64 = 3, terminationGracePeriodSeconds: Int64? = nil
    ) {
        self.handler = handler
        self.initialDelaySeconds = initialDelaySeconds
        self.timeoutSeconds = timeoutSeconds
        self.periodSeconds = periodSeconds
        self.successThreshold = successThreshold
        self.failureThreshold = failureThreshold
        self.terminationGracePeriodSeconds = terminationGracePeriodSeconds
    }

    /// Reads a probe object; nil when `json` is not an object.
    public init?(json: JSONValue) {
        guard case .object = json else { return nil }
        func positive(_ key: String, _ d: Int64) -> Int64 {
            guard let v = json.integer(key), v > 0 else { return d }
            return v
        }
        initialDelaySeconds = max(0, json.integer("initialDelaySeconds") ?? 0)
        timeoutSeconds = positive("timeoutSeconds", 1)
        periodSeconds = positive("periodSeconds", 10)
        successThreshold = positive("successThreshold", 1)
        failureThreshold = positive("failureThreshold", 3)
        terminationGracePeriodSeconds = json.integer("terminationGracePeriodSeconds")
        if let e = json.object("exec") {
            handler = .exec(command: e.array("command").compactMap(\.stringValue))
        } else if let h = json.object("httpGet") {
            var path = h.string("path") ?? ""
            if path.isEmpty { path = "/" }
            let scheme = (h.string("scheme") ?? "").isEmpty ? "HTTP" : h.string("scheme")!
            let headers = h.array("httpHeaders").map { HTTPHeader(name: $0.string("name") ?? "", value: $0.string("value") ?? "") }
            handler = .httpGet(
                HTTPGetAction(
                    path: path, port: Self.port(h["port"]), host: Self.nonEmpty(h.string("host")),
                    scheme: scheme, httpHeaders: headers))
        } else if let t = json.object("tcpSocket") {
            handler = .tcpSocket(host: Self.nonEmpty(t.string("host")), port: Self.port(t["port"]))
        } else if let g = json.object("grpc") {
            handler = .grpc(port: g.integer("port") ?? 0, service: g.string("service"))
        } else {
            handler = nil
        }
    }

    private static func nonEmpty(_ s: String?) -> String? {
        guard let s, !s.isEmpty else { return nil }
        return s
    }

    private static func port(_ v: JSONValue?) -> PortValue {
        switch v {
        case .string(let s)?: return .name(s)
        case let v?: return .number(v.integerValue ?? 0)
        case nil: return .number(0)
        }
    }
}

extension Container {
    /// `livenessProbe`, typed; nil when absent.
    public var livenessProbe: Probe? { other["livenessProbe"].flatMap { Probe(json: $0) } }
    /// `readinessProbe`, typed; nil when absent.
    public var readinessProbe: Probe? { other["readinessProbe"].flatMap { Probe(json: $0) } }
    /// `startupProbe`, typed; nil when absent.
    public var startupProbe: Probe? { other["startupProbe"].flatMap { Probe(json: $0) } }

    /// The `containerPort` of the port named `name` in `ports`, else nil.
    public func containerPort(named name: String) -> Int64? {
        for p in other["ports"]?.arrayValue ?? [] where p.string("name") == name {
            return p.integer("containerPort")
        }
        return nil
    }
}

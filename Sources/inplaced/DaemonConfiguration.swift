import Foundation
import NodeAgent
import PodAPI
import Yams

/// The daemon's settings: built-in defaults, then the YAML config file, then flags (flags win).
/// Durations are seconds.
struct DaemonConfiguration: Codable, Equatable {
    var nodeName: String?
    var manifestDir: String?
    var stateDir: String?
    var socketPath: String?
    var socketGroup: String?
    /// `mock` (in-process, for tests and the demo) or `cri` (a CRI v1 runtime such as containerd).
    var runtime: String?
    /// The CRI runtime's socket, `unix:///run/containerd/containerd.sock` (default) or a path.
    var runtimeEndpoint: String?
    var relistPeriodSeconds: Double?
    /// Follow the runtime's container events when it offers them (CRI `GetContainerEvents`,
    /// kubelet's `EventedPLEG` feature gate) and relist every 300 s; default true. A runtime
    /// without events (containerd before 1.7) is relisted every `relistPeriodSeconds` either way.
    var eventedPLEG: Bool?
    var defaultGraceSeconds: Double?
    var backoffBaseSeconds: Double?
    var backoffMaxSeconds: Double?
    /// `v1.31-name-image` (default) or `v1.15-full-container`.
    var hashAlgorithm: String?
    /// `InPlaceIfPossible` (default) or `InPlaceOnly`.
    var podUpdatePolicy: String?
    var podLogDir: String?
    var logLevel: String?
    /// The node's IP for `status.hostIP` (default: the first non-loopback IPv4 address).
    var nodeIP: String?
    /// The controller endpoint statuses are reported to (`http://` or `https://`); none when unset.
    var controllerURL: String?
    /// A file holding the bearer token for the controller (re-read when it changes).
    var controllerTokenFile: String?
    /// A PEM file of the CA that signs an https controller's certificate.
    var controllerCAFile: String?
    /// Seconds between node heartbeats (`PUT /api/v1/nodes/{node}/status`); default 10.
    var nodeStatusPeriodSeconds: Double?
    /// Mock runtime only: images the mock registry serves, reference → digest (`sha256:<64 hex>`);
    /// two references may share a digest. References not listed are pulled with a digest made
    /// from their name unless `mockStrictRegistry` is true.
    var mockRegistry: [String: String]?
    var mockStrictRegistry: Bool?

    /// containerd's CRI socket, kubelet's usual `--container-runtime-endpoint`.
    static let defaultRuntimeEndpoint = "unix:///run/containerd/containerd.sock"

    /// Reads a YAML config file.
    /// - Throws: `ConfigError` naming the file and the problem (unknown keys included).
    static func load(path: String) throws -> DaemonConfiguration {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw ConfigError("cannot read config file \(path)")
        }
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return DaemonConfiguration() }
        let node: Node?
        do { node = try Yams.compose(yaml: text) } catch { throw ConfigError("\(path): \(error)") }
        if let mapping = node?.mapping {
            let known = Set(Self.knownKeys)
            for key in mapping.keys {
                guard let k = key.string else { continue }
                if !known.contains(k) { throw ConfigError("\(path): unknown field \"\(k)\"") }
            }
        }
        do { return try YAMLDecoder().decode(DaemonConfiguration.self, from: text) } catch {
            throw ConfigError("\(path): \(error)")
        }
    }

    /// `other`'s set fields over this one's.
    func overlaid(with other: DaemonConfiguration) -> DaemonConfiguration {
        var r = self
        r.nodeName = other.nodeName ?? nodeName
        r.manifestDir = other.manifestDir ?? manifestDir
        r.stateDir = other.stateDir ?? stateDir
        r.socketPath = other.socketPath ?? socketPath
        r.socketGroup = other.socketGroup ?? socketGroup
        r.runtime = other.runtime ?? runtime
        r.runtimeEndpoint = other.runtimeEndpoint ?? runtimeEndpoint
        r.relistPeriodSeconds = other.relistPeriodSeconds ?? relistPeriodSeconds
        r.eventedPLEG = other.eventedPLEG ?? eventedPLEG
        r.defaultGraceSeconds = other.defaultGraceSeconds ?? defaultGraceSeconds
        r.backoffBaseSeconds = other.backoffBaseSeconds ?? backoffBaseSeconds
        r.backoffMaxSeconds = other.backoffMaxSeconds ?? backoffMaxSeconds
        r.hashAlgorithm = other.hashAlgorithm ?? hashAlgorithm
        r.podUpdatePolicy = other.podUpdatePolicy ?? podUpdatePolicy
        r.podLogDir = other.podLogDir ?? podLogDir
        r.logLevel = other.logLevel ?? logLevel
        r.nodeIP = other.nodeIP ?? nodeIP
        r.controllerURL = other.controllerURL ?? controllerURL
        r.controllerTokenFile = other.controllerTokenFile ?? controllerTokenFile
        r.controllerCAFile = other.controllerCAFile ?? controllerCAFile
        r.nodeStatusPeriodSeconds = other.nodeStatusPeriodSeconds ?? nodeStatusPeriodSeconds
        r.mockRegistry = other.mockRegistry ?? mockRegistry
        r.mockStrictRegistry = other.mockStrictRegistry ?? mockStrictRegistry
        return r
    }

    /// Defaults: under systemd (`STATE_DIRECTORY` set) `/var/lib/inplaced`, `/run/inplaced/inplaced.sock`
    /// and `/etc/inplaced/manifests`; otherwise, for a newcomer, everything under `./.inplaced/`,
    /// and the container logs under the state directory (`<stateDir>/logs`, so `--state-dir`
    /// alone moves them too), as the pods' volumes are.
    static func defaults(environment: [String: String] = ProcessInfo.processInfo.environment) -> DaemonConfiguration {
        var d = DaemonConfiguration()
        if let state = environment["STATE_DIRECTORY"], !state.isEmpty {
            d.stateDir = state.split(separator: ":").first.map(String.init)
            let runtimeDir = environment["RUNTIME_DIRECTORY"].flatMap { $0.split(separator: ":").first.map(String.init) } ?? "/run/inplaced"
            d.socketPath = runtimeDir + "/inplaced.sock"
            d.manifestDir = "/etc/inplaced/manifests"
            d.podLogDir = "/var/log/pods"
        } else {
            d.stateDir = ".inplaced"
            d.socketPath = ".inplaced/inplaced.sock"
            d.manifestDir = ".inplaced/manifests"
        }
        d.runtime = "mock"
        d.relistPeriodSeconds = 1
        d.defaultGraceSeconds = 0
        d.backoffBaseSeconds = 10
        d.backoffMaxSeconds = 300
        d.hashAlgorithm = HashAlgorithm.nameImage.rawValue
        d.podUpdatePolicy = WellKnown.inPlaceIfPossible
        d.logLevel = "info"
        d.nodeName = ProcessInfo.processInfo.hostName
        return d
    }

    /// Checks every value; the error names each key at fault, one per line.
    func validated() throws -> DaemonConfiguration {
        var problems: [String] = []
        func num(_ v: Double) -> String { v.rounded() == v && abs(v) < 1e15 ? String(Int64(v)) : String(v) }
        if let r = runtime, r != "mock" && r != "cri" {
            problems.append("runtime: Unsupported value: \"\(r)\": supported values: \"cri\", \"mock\"")
        }
        if let e = runtimeEndpoint {
            let path = e.hasPrefix("unix://") ? String(e.dropFirst("unix://".count)) : e
            if !path.hasPrefix("/") || e.contains("://") && !e.hasPrefix("unix://") {
                problems.append("runtimeEndpoint: Invalid value: \"\(e)\": must be unix:///<absolute socket path> or an absolute path")
            }
        }
        // Durations: finite and at most a day (seconds), so no timer overflows.
        func duration(_ key: String, _ v: Double?, allowZero: Bool) {
            guard let v else { return }
            if !v.isFinite || v > 86_400 || v < 0 || (!allowZero && v == 0) {
                problems.append(
                    "\(key): Invalid value: \(num(v)): must be \(allowZero ? "between 0" : "greater than 0 and at most") \(allowZero ? "and 86400" : "86400") seconds"
                )
            }
        }
        duration("relistPeriodSeconds", relistPeriodSeconds, allowZero: false)
        duration("defaultGraceSeconds", defaultGraceSeconds, allowZero: true)
        duration("backoffBaseSeconds", backoffBaseSeconds, allowZero: false)
        duration("backoffMaxSeconds", backoffMaxSeconds, allowZero: false)
        duration("nodeStatusPeriodSeconds", nodeStatusPeriodSeconds, allowZero: false)
        if let u = controllerURL, !(u.hasPrefix("http://") || u.hasPrefix("https://")) || URL(string: u)?.host == nil {
            problems.append("controllerURL: Invalid value: \"\(u)\": must be an http:// or https:// URL with a host")
        }
        if controllerURL == nil, controllerTokenFile != nil || controllerCAFile != nil {
            problems.append("controllerURL: Required value: controllerTokenFile and controllerCAFile need a controller")
        }
        if let m = backoffMaxSeconds, let b = backoffBaseSeconds, m.isFinite, b.isFinite, m < b {
            problems.append("backoffMaxSeconds: Invalid value: \(num(m)): must be at least backoffBaseSeconds (\(num(b)))")
        }
        if let h = hashAlgorithm, HashAlgorithm(rawValue: h) == nil {
            problems.append(
                "hashAlgorithm: Unsupported value: \"\(h)\": supported values: "
                    + HashAlgorithm.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "))
        }
        if let p = podUpdatePolicy, p != WellKnown.inPlaceIfPossible && p != WellKnown.inPlaceOnly {
            problems.append("podUpdatePolicy: Unsupported value: \"\(p)\": supported values: \"InPlaceIfPossible\", \"InPlaceOnly\"")
        }
        if let l = logLevel, Self.levels[l] == nil {
            problems.append(
                "logLevel: Unsupported value: \"\(l)\": supported values: "
                    + Self.levels.keys.sorted().map { "\"\($0)\"" }.joined(separator: ", "))
        }
        if let n = nodeName, n.isEmpty { problems.append("nodeName: Required value") }
        if !problems.isEmpty { throw ConfigError(problems.joined(separator: "\n")) }
        return self
    }

    static let knownKeys = [
        "nodeName", "manifestDir", "stateDir", "socketPath", "socketGroup", "runtime", "runtimeEndpoint", "relistPeriodSeconds",
        "eventedPLEG", "defaultGraceSeconds", "backoffBaseSeconds", "backoffMaxSeconds", "hashAlgorithm", "podUpdatePolicy",
        "podLogDir", "logLevel", "mockRegistry", "mockStrictRegistry", "nodeIP",
        "controllerURL", "controllerTokenFile", "controllerCAFile", "nodeStatusPeriodSeconds",
    ]

    static let levels: [String: Int] = ["trace": 0, "debug": 1, "info": 2, "notice": 3, "warning": 4, "error": 5, "critical": 6]

    var agentConfiguration: AgentConfiguration {
        var c = AgentConfiguration(
            nodeName: nodeName ?? ProcessInfo.processInfo.hostName,
            hashAlgorithm: hashAlgorithm.flatMap(HashAlgorithm.init(rawValue:)) ?? .nameImage,
            relistPeriodSeconds: relistPeriodSeconds ?? 1, defaultGraceSeconds: defaultGraceSeconds ?? 0,
            backoffBaseSeconds: backoffBaseSeconds ?? 10, backoffMaxSeconds: backoffMaxSeconds ?? 300,
            defaultUpdatePolicy: podUpdatePolicy ?? WellKnown.inPlaceIfPossible,
            podLogRoot: Self.absolute(podLogDir ?? ((stateDir ?? ".inplaced") + "/logs")),
            nodeIP: nodeIP ?? NodeAddress.firstIPv4(),
            podsDirectory: Self.absolute((stateDir ?? ".inplaced") + "/pods"))
        c.eventedPLEG = eventedPLEG ?? true
        return c
    }

    /// `path` made absolute against the working directory: the runtime resolves log and volume
    /// paths in its own process, where a relative path would mean something else.
    static func absolute(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }
}

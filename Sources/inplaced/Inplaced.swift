import ArgumentParser
import ContainerRuntime
import Foundation
import Logging
import MockRuntime
import NodeAgent
import PodAPI
import ServiceLifecycle
import StateStore
import StatusServer
import SystemdSupport

/// `inplaced`: the node agent daemon. Only parses flags and wires the modules together.
@main
struct Inplaced: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inplaced",
        abstract: "Runs the pods of a manifest directory and upgrades their containers in place.",
        version: AgentVersion.current)

    @Option(name: .long, help: "YAML config file; flags override its keys.") var config: String?
    @Option(name: .long, help: "Node name (default: the host name).") var nodeName: String?
    @Option(name: .long, help: "Directory of Pod manifests (*.yaml, *.yml, *.json).") var manifestDir: String?
    @Option(name: .long, help: "State directory (SQLite store, lock). Default ./.inplaced, or $STATE_DIRECTORY under systemd.")
    var stateDir: String?
    @Option(name: .long, help: "Status socket path.") var socket: String?
    @Option(name: .long, help: "Group that owns the status socket (mode 0660).") var socketGroup: String?
    @Option(name: .long, help: "Container runtime: mock (default) or cri.") var runtime: String?
    @Option(name: .long, help: "CRI runtime socket (default unix:///run/containerd/containerd.sock).") var runtimeEndpoint: String?
    @Option(name: .long, help: "Relist period, seconds (default 1).") var relistPeriod: Double?
    @Option(
        name: .long,
        help: "Follow the runtime's container events (CRI GetContainerEvents) and relist every 300 s: true (default) or false.")
    var eventedPleg: Bool?
    @Option(name: .long, help: "Default in-place update grace period, seconds (default 0).") var defaultGracePeriod: Double?
    @Option(name: .long, help: "First restart back-off, seconds (default 10).") var backoffBase: Double?
    @Option(name: .long, help: "Restart back-off cap, seconds (default 300).") var backoffMax: Double?
    @Option(name: .long, help: "Container hash algorithm: v1.31-name-image or v1.15-full-container.") var hashAlgorithm: String?
    @Option(name: .long, help: "Default pod update policy: InPlaceIfPossible or InPlaceOnly.") var podUpdatePolicy: String?
    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.") var logLevel: String?
    @Option(name: .long, help: "Controller endpoint to report pod and node status to (http:// or https://).") var controllerURL: String?
    @Option(name: .long, help: "File holding the controller's bearer token (re-read when it changes).") var controllerTokenFile: String?
    @Option(name: .long, help: "PEM CA file that verifies an https controller.") var controllerCAFile: String?
    @Option(name: .long, help: "Seconds between node heartbeats to the controller (default 10).") var nodeStatusPeriod: Double?

    func run() async throws {
        var settings = DaemonConfiguration.defaults()
        do {
            if let config { settings = settings.overlaid(with: try DaemonConfiguration.load(path: config)) }
            var flags = DaemonConfiguration()
            flags.nodeName = nodeName
            flags.manifestDir = manifestDir
            flags.stateDir = stateDir
            flags.socketPath = socket
            flags.socketGroup = socketGroup
            flags.runtime = runtime
            flags.runtimeEndpoint = runtimeEndpoint
            flags.relistPeriodSeconds = relistPeriod
            flags.eventedPLEG = eventedPleg
            flags.defaultGraceSeconds = defaultGracePeriod
            flags.backoffBaseSeconds = backoffBase
            flags.backoffMaxSeconds = backoffMax
            flags.hashAlgorithm = hashAlgorithm
            flags.podUpdatePolicy = podUpdatePolicy
            flags.logLevel = logLevel
            flags.controllerURL = controllerURL
            flags.controllerTokenFile = controllerTokenFile
            flags.controllerCAFile = controllerCAFile
            flags.nodeStatusPeriodSeconds = nodeStatusPeriod
            settings = try settings.overlaid(with: flags).validated()
        } catch let e as ConfigError {
            throw ValidationError(e.description)
        }
        let level = Logger.Level(rawValue: settings.logLevel ?? "info") ?? .info
        // Under systemd (stdout is the journal): "<priority>label: message key=value" lines on
        // stdout; otherwise the plain stderr handler.
        LoggingSystem.bootstrap(LoggingBootstrap.handlerFactory(level: level))
        let logger = Logger(label: "inplaced")
        try await Daemon(settings: settings, logger: logger).run()
    }
}

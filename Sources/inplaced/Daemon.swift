import CRIRuntime
import ContainerRuntime
import Foundation
import Logging
import MockRuntime
import NodeAgent
import PodAPI
import Prometheus
import Reporter
import ServiceLifecycle
import StateStore
import StatusServer
import SystemdSupport

/// Wires store, runtime, agent, manifest source and status socket, and runs them as one
/// ServiceGroup that stops on SIGTERM or SIGINT. Pods' containers are left running on stop.
struct Daemon {
    let settings: DaemonConfiguration
    let logger: Logger

    func run() async throws {
        let stateDir = settings.stateDir ?? ".inplaced"
        let manifestDir = settings.manifestDir ?? ".inplaced/manifests"
        let socketPath = settings.socketPath ?? ".inplaced/inplaced.sock"
        try FileManager.default.createDirectory(atPath: stateDir, withIntermediateDirectories: true)
        if let group = settings.socketGroup, !SocketGroup.exists(group) {
            throw ConfigError("socketGroup: Invalid value: \"\(group)\": no such group")
        }
        let lock = try StateStore.acquireLock(stateDir: stateDir)
        defer { lock.release() }
        var storeOptions = StoreOptions()
        storeOptions.reserveBytes = 8 << 20
        let store = try StateStore(path: stateDir + "/state.sqlite", options: storeOptions)
        if let released = store.releasedReserve {
            logger.warning(
                "state volume full: released the \(released.bytes >> 20) MiB reserve so the store could open; free space on it",
                metadata: ["reserve": "\(released.path)", "stateDir": "\(stateDir)"])
        }
        let (runtime, runtimeService) = try await makeRuntime(stateDir: stateDir)
        // The daemon owns the metrics registry and the outbox's signal, and hands them to the
        // agent (which writes the outbox) and the reporter (which reads it).
        let registry = PrometheusCollectorRegistry()
        let outbox = OutboxNotifications()
        let agent = NodeAgent(
            config: settings.agentConfiguration, runtime: runtime, store: store, logger: logger,
            metrics: AgentMetrics(registry: registry), outbox: outbox)
        var controller: ControllerWiring?
        if let url = settings.controllerURL {
            let wiring = try ControllerWiring(
                settings: settings, url: url, store: store, registry: registry, outbox: outbox, logger: logger
            ) {
                let h = await agent.health()
                return NodeHeartbeatInfo(
                    ready: h.status == "ok", notReadyMessage: h.status == "ok" ? nil : "the agent's relist is stuck",
                    runtimeName: h.runtimeName, runtimeVersion: h.runtimeVersion, agentVersion: h.version)
            }
            controller = wiring
        }
        let manifests = ManifestDirectorySource(directory: manifestDir, logger: logger)
        var source: any PodSource = manifests
        var stopSources: @Sendable () -> Void = { manifests.stop() }
        if let controller {
            // As kubelet: the file source and the API source together.
            let api = controller.podSource(agent: agent)
            source = MergedPodSource([manifests, api])
            stopSources = {
                manifests.stop()
                api.stop()
            }
        }
        let agentService = AgentService(agent: agent, source: source, stopSources: stopSources, runtime: runtime, logger: logger)
        let notifier = systemdNotifier()
        let server = StatusServer(
            provider: DaemonStatusProvider(agent: agent, controller: controller), socketPath: socketPath, socketGroup: settings.socketGroup,
            logger: logger
        ) {
            // Type=notify: start-up is complete once the status socket serves.
            do { try notifier.ready() } catch {
                logger.warning("cannot notify systemd", metadata: ["error": "\(error)"])
            }
        }
        logger.info(
            "inplaced starting",
            metadata: [
                "version": "\(AgentVersion.current)", "node": "\(settings.nodeName ?? "")", "manifests": "\(manifestDir)",
                "state": "\(stateDir)", "runtime": "\(settings.runtime ?? "mock")",
                "runtimeEndpoint":
                    "\(settings.runtime == "cri" ? settings.runtimeEndpoint ?? DaemonConfiguration.defaultRuntimeEndpoint : "-")",
            ])
        // Graceful shutdown reaches services in reverse order: STOPPING=1 goes out first, the
        // watchdog (first in the list) keeps pinging until everything else has stopped.
        // A service that ends or fails shuts the others down gracefully rather than cancelling
        // them: a cancelled HTTP server traps on a connection accepted but not yet served
        // (NIOAsyncWriter's deinit, apple/swift-nio#3481). The error still ends run().
        func supervised(_ service: any Service) -> ServiceGroupConfiguration.ServiceConfiguration {
            .init(
                service: service, successTerminationBehavior: .gracefullyShutdownGroup,
                failureTerminationBehavior: .gracefullyShutdownGroup)
        }
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        if let watchdog = watchdogService(agent: agent, notifier: notifier) { services.append(supervised(watchdog)) }
        // The CRI client's connections outlive everything that calls the runtime.
        if let runtimeService { services.append(supervised(runtimeService)) }
        if let controller {
            services += [supervised(controller.statuses), supervised(controller.heartbeat)]
        }
        services += [supervised(agentService), supervised(server)]
        services.append(supervised(StoppingNotifierService(notifier: notifier, logger: logger)))
        let group = ServiceGroup(
            configuration: .init(
                services: services,
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        try await group.run()
        try? store.close()
        logger.info("inplaced stopped; containers left running")
    }

    /// The sd_notify client for `$NOTIFY_SOCKET` (a no-op without it, or with an unusable one).
    private func systemdNotifier() -> SystemdNotifier {
        do { return try SystemdNotifier() } catch {
            logger.warning("ignoring NOTIFY_SOCKET", metadata: ["error": "\(error)"])
            return SystemdNotifier(address: nil)
        }
    }

    /// Pings systemd's watchdog (`WatchdogSec=` gives `$WATCHDOG_USEC`) every WatchdogSec/2 while
    /// the relister keeps completing passes; `nil` when systemd watches no watchdog.
    private func watchdogService(agent: NodeAgent, notifier: SystemdNotifier) -> WatchdogService? {
        let config: WatchdogConfig
        do {
            guard let c = try WatchdogConfig.fromEnvironment() else { return nil }
            config = c
        } catch {
            logger.warning("ignoring the systemd watchdog settings", metadata: ["error": "\(error)"])
            return nil
        }
        // Alive: the relister completed a pass within WatchdogSec (and at least 3 relist periods).
        // Before its first pass the daemon is starting, and gets the same window from here.
        let window = max(config.timeout, .seconds(3 * (settings.relistPeriodSeconds ?? 1)))
        let windowSeconds = Double(window.components.seconds) + Double(window.components.attoseconds) / 1e18
        let started = ContinuousClock.now
        return WatchdogService(
            notifier: notifier, pingInterval: config.pingInterval,
            livenessDescription: "the relist loop completed a pass within \(windowSeconds)s", logger: logger
        ) {
            if let since = await agent.secondsSincePLEGPass() { return since < windowSeconds }
            return ContinuousClock.now - started < window
        }
    }

    /// The runtime shim the settings name, and the service that must run for it to answer
    /// (the CRI client's connections; none for the in-process mock).
    private func makeRuntime(stateDir: String) async throws -> (any RuntimeService, (any Service)?) {
        if settings.runtime == "cri" {
            let endpoint = settings.runtimeEndpoint ?? DaemonConfiguration.defaultRuntimeEndpoint
            let cri = try CRIRuntime(endpoint: endpoint, logger: logger)
            return (cri, cri)
        }
        return (try await makeMockRuntime(stateDir: stateDir), nil)
    }

    private func makeMockRuntime(stateDir: String) async throws -> any RuntimeService {
        // The seed keeps container IDs of two state directories apart.
        let absolute = URL(fileURLWithPath: stateDir).standardizedFileURL.path
        let mock = try MockRuntime(stateFile: URL(fileURLWithPath: stateDir + "/mock-runtime.json"), idSeed: absolute)
        for (ref, digest) in settings.mockRegistry ?? [:] {
            try await mock.registry(add: ref, digest: digest)
        }
        if settings.mockStrictRegistry != true { await mock.setAutoRegistry(true) }
        // Containers that end on a timer (crash images, `sleep S`) end after a restart too.
        await mock.rearmTimedExits()
        await mock.setWritesLogFiles(true)
        return DurableMockRuntime(mock)
    }
}

import APIRegistry
import APIServer
import APIStore
import ArgumentParser
import CloneSetController
import ControllerLoops
import Foundation
import KubeClient
import Logging
import SQLiteStore
import ServiceLifecycle

/// `inplace-controller`: the fleet's API server and control loops. Flags are kube-apiserver's
/// where it has one (`--bind-address`, `--secure-port`, `--tls-cert-file`,
/// `--tls-private-key-file`, `--token-auth-file`, `--etcd-servers`, `--etcd-prefix`).
@main
struct InplaceController: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inplace-controller",
        abstract: "The controller endpoint of a fleet of inplaced nodes: a Kubernetes-shaped API on SQLite or etcd.")

    @Option(help: "Directory of the embedded SQLite store (used without --etcd-servers).")
    var stateDir: String = ".inplace-controller"

    @Option(help: "Comma-separated etcd client endpoints host:port (a real etcd v3 cluster) instead of SQLite.")
    var etcdServers: String?

    @Option(help: "The key prefix of every object in etcd.")
    var etcdPrefix: String = "/registry"

    @Option(help: "The address to serve on.")
    var bindAddress: String = "127.0.0.1"

    @Option(help: "The port to serve on (0: any free port, printed at start).")
    var securePort: Int = 6443

    @Option(help: "PEM certificate (chain) to serve HTTPS with; with --tls-private-key-file.")
    var tlsCertFile: String?

    @Option(help: "PEM private key of --tls-cert-file.")
    var tlsPrivateKeyFile: String?

    @Option(
        help:
            "Bearer tokens: lines of token,user,uid,\"groups\" (system:masters: admin; system:node:<n> in system:nodes: a node). Without it every request is allowed."
    )
    var tokenAuthFile: String?

    @Option(help: "Seconds a node may be silent before it is marked Unknown.")
    var nodeMonitorGracePeriod: Double = 40

    @Option(help: "Seconds between node health passes.")
    var nodeMonitorPeriod: Double = 5

    @Option(help: "This replica's name in leader election (default: hostname and pid).")
    var identity: String?

    @Option(help: "Seconds a watch waits between BOOKMARK events.")
    var bookmarkSeconds: Int = 60

    @Option(
        help:
            "Changes each resource's watch cache keeps to serve watches from recent versions (kube-apiserver's --default-watch-cache-size); 0 turns the cache off and every watch reads the store."
    )
    var defaultWatchCacheSize: Int = 1000

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "info"

    func run() async throws {
        var configured = Logger(label: "inplace-controller")
        configured.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        let logger = configured
        if (tlsCertFile == nil) != (tlsPrivateKeyFile == nil) {
            throw ValidationError("--tls-cert-file and --tls-private-key-file go together")
        }
        for file in [tlsCertFile, tlsPrivateKeyFile, tokenAuthFile].compactMap({ $0 })
        where !FileManager.default.isReadableFile(atPath: file) {
            throw ValidationError("\(file): cannot be read")
        }
        // The control loops that work through the API (the CloneSet controller) reach this
        // process's own server with a token of their own, as kube-apiserver's loopback client.
        let loopbackToken = (0..<4).map { _ in String(UInt64.random(in: 0...UInt64.max), radix: 16) }.joined()
        let loopbackUser = UserInfo(name: "system:apiserver", uid: "loopback", groups: ["system:masters"])
        let authenticator = try tokenAuthFile.map { try TokenAuthenticator(path: $0).adding(token: loopbackToken, user: loopbackUser) }
        if authenticator == nil { logger.warning("no --token-auth-file: every request is allowed") }
        let loopback = LoopbackAddress()
        let (store, election, storeService) = try StoreWiring.make(
            stateDir: stateDir, etcdServers: etcdServers, etcdPrefix: etcdPrefix, logger: logger)
        guard defaultWatchCacheSize >= 0 else { throw ValidationError("--default-watch-cache-size must be 0 or more") }
        let registry = ObjectRegistry(
            store: store, prefix: etcdServers == nil ? "/registry/" : etcdPrefix, watchCacheSize: defaultWatchCacheSize)
        let handler = APIHandler(registry: registry, authenticator: authenticator, bookmarkSeconds: bookmarkSeconds)
        let scheme = tlsCertFile == nil ? "http" : "https"
        let host = bindAddress
        let api = APIServerService(
            handler: handler, host: bindAddress, port: securePort, tls: tlsCertFile.map { ($0, tlsPrivateKeyFile!) }, logger: logger
        ) { port in
            logger.info("serving", metadata: ["url": "\(scheme)://\(host):\(port)"])
            loopback.set(LoopbackAddress.url(scheme: scheme, bindAddress: host, port: port))
            FileHandle.standardOutput.write(Data("inplace-controller serving on \(scheme)://\(host):\(port)\n".utf8))
        }
        let manager = ControllerManager(
            registry: registry, logger: logger, nodeGracePeriod: nodeMonitorGracePeriod, nodeMonitorPeriod: nodeMonitorPeriod)
        let me = identity ?? "\(ProcessInfo.processInfo.hostName)-\(getpid())"
        let loops = LeaderLoopService(election: election, identity: me, manager: manager, logger: logger) {
            // The CloneSet controller: a client of this server, over loopback.
            let url = await loopback.wait()
            let client = KubeClient(
                config: KubeClientConfig(
                    url: url, token: loopbackToken, insecureSkipTLSVerify: true, userAgent: "inplace-controller/cloneset"))
            await CloneSetController(client: client, logger: logger).run()
            await client.shutdown()
        }
        func supervised(_ service: any Service) -> ServiceGroupConfiguration.ServiceConfiguration {
            .init(
                service: service, successTerminationBehavior: .gracefullyShutdownGroup, failureTerminationBehavior: .gracefullyShutdownGroup
            )
        }
        // The etcd client's connections first: graceful shutdown stops them last.
        let services = (storeService.map { [supervised($0)] } ?? []) + [supervised(api), supervised(loops)]
        let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}

import APIStore
import ArgumentParser
import EtcdStore
import Foundation
import Logging
import SQLiteStore
import ServiceLifecycle

/// The store and leader election the flags name, and the service that must run for an etcd
/// client's connections.
enum StoreWiring {
    /// - Throws: `ValidationError` for an unusable state directory or etcd endpoint list; GRDB's errors.
    static func make(stateDir: String, etcdServers: String?, etcdPrefix: String, logger: Logger) throws -> (
        store: any KeyValueStore, election: any LeaderElection, service: (any Service)?
    ) {
        if let etcdServers {
            let endpoints: [EtcdEndpoint]
            do {
                endpoints = try etcdServers.split(separator: ",").map {
                    try EtcdEndpoint(parsing: String($0).trimmingCharacters(in: .whitespaces))
                }
            } catch {
                throw ValidationError("--etcd-servers \(etcdServers): \(error)")
            }
            let client: EtcdClient
            do { client = try EtcdClient(endpoints: endpoints, logger: logger) } catch {
                throw ValidationError("--etcd-servers \(etcdServers): \(error)")
            }
            logger.info("store: etcd", metadata: ["endpoints": "\(etcdServers)", "prefix": "\(etcdPrefix)"])
            let prefix = etcdPrefix.hasSuffix("/") ? etcdPrefix : etcdPrefix + "/"
            return (
                EtcdKeyValueStore(client: client), EtcdLeaderElection(client: client, key: prefix + "leader/inplace-controller"),
                EtcdClientService(client: client)
            )
        }
        do {
            try FileManager.default.createDirectory(atPath: stateDir, withIntermediateDirectories: true)
        } catch {
            throw ValidationError("--state-dir \(stateDir): \(error.localizedDescription)")
        }
        let store = try SQLiteKeyValueStore(path: stateDir + "/controller.sqlite")
        logger.info("store: SQLite", metadata: ["path": "\(stateDir)/controller.sqlite"])
        return (store, SingleReplicaElection(), nil)
    }
}

/// Runs an etcd client's connections until graceful shutdown.
struct EtcdClientService: Service {
    let client: EtcdClient

    func run() async throws {
        await withGracefulShutdownHandler {
            await client.run()
        } onGracefulShutdown: {
            client.shutdown()
        }
    }
}

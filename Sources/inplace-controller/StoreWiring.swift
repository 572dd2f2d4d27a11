import APIStore
import ArgumentParser
import Foundation
import Logging
import SQLiteStore

/// The store and leader election the flags name.
enum StoreWiring {
    /// - Throws: `ValidationError` for an unusable state directory or etcd list; GRDB's errors.
    static func make(stateDir: String, etcdServers: String?, logger: Logger) throws -> (any KeyValueStore, any LeaderElection) {
        if let etcdServers {
            throw ValidationError("--etcd-servers \(etcdServers): the etcd store is not built into this binary yet")
        }
        do {
            try FileManager.default.createDirectory(atPath: stateDir, withIntermediateDirectories: true)
        } catch {
            throw ValidationError("--state-dir \(stateDir): \(error.localizedDescription)")
        }
        let store = try SQLiteKeyValueStore(path: stateDir + "/controller.sqlite")
        logger.info("store: SQLite", metadata: ["path": "\(stateDir)/controller.sqlite"])
        return (store, SingleReplicaElection())
    }
}

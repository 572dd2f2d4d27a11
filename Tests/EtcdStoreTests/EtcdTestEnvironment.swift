import APIStore
import EtcdStore
import Foundation
import Logging
import Synchronization
import Testing

/// The test environment: `INPLACED_ETCD_ENDPOINTS` (printed by `scripts/etcd-cluster.sh up DIR`)
/// lists the members of a real etcd cluster; `INPLACED_ETCD_DIR` (optional) is that DIR, for the
/// test that stops a member; `INPLACED_REQUIRE_ETCD=1` makes a missing cluster a failure instead
/// of a skip.
enum EtcdTestEnvironment {
    static var endpointList: String? {
        let value = ProcessInfo.processInfo.environment["INPLACED_ETCD_ENDPOINTS"] ?? ""
        return value.isEmpty ? nil : value
    }
    static var required: Bool { ProcessInfo.processInfo.environment["INPLACED_REQUIRE_ETCD"] == "1" }
    static var clusterDirectory: String? {
        let value = ProcessInfo.processInfo.environment["INPLACED_ETCD_DIR"] ?? ""
        return value.isEmpty ? nil : value
    }

    static var logger: Logger {
        var logger = Logger(label: "etcd-test")
        logger.logLevel = .info
        return logger
    }

    static func endpoints() throws -> [EtcdEndpoint] {
        try EtcdEndpoint.parseList(try #require(endpointList))
    }

    /// A key prefix of its own for one test: `/inplaced-test/<uuid>/`.
    static func uniquePrefix() -> String { "/inplaced-test/\(UUID().uuidString.lowercased())/" }

    /// The deadline of one call in these tests, in seconds: 30, not the production default of 5.
    /// A full `swift test` starts some 150 suites at once on two cores, and for the first seconds
    /// a call's continuation can wait that long for a cooperative thread; CI saw a create fail at
    /// "no answer within 5.0 s" 7.6 s into the run. No test here is about the deadline itself.
    static let callTimeoutSeconds: Double = 30

    static func withClient<T>(
        endpoints: [EtcdEndpoint]? = nil, _ body: (EtcdClient) async throws -> T
    ) async throws -> T {
        try await EtcdClient.withClient(
            endpoints: try endpoints ?? self.endpoints(), callTimeoutSeconds: callTimeoutSeconds, logger: logger, body)
    }

    static func withStore<T>(
        endpoints: [EtcdEndpoint]? = nil, _ body: (EtcdKeyValueStore) async throws -> T
    ) async throws -> T {
        try await withClient(endpoints: endpoints) { try await body(EtcdKeyValueStore(client: $0)) }
    }

    /// Polls `condition` every 50 ms for at most `seconds` seconds; true when it held.
    static func eventually(within seconds: Double, _ condition: () async -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
        while ContinuousClock.now < deadline {
            if await condition() { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return await condition()
    }

}

// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "inplaced",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "inplaced", targets: ["inplaced"]),
        .executable(name: "inplacectl", targets: ["inplacectl"]),
        .executable(name: "inplace-controller", targets: ["inplace-controller"]),
        .executable(name: "inplace-fleet-bench", targets: ["inplace-fleet-bench"]),
        .executable(name: "inplaced-bench", targets: ["inplaced-bench"]),
        .executable(name: "inplaced-bench-cri", targets: ["inplaced-bench-cri"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/grpc/grpc-swift-2.git", from: "2.4.3"),
        .package(url: "https://github.com/grpc/grpc-swift-nio-transport.git", from: "2.9.2"),
        .package(url: "https://github.com/grpc/grpc-swift-protobuf.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.39.0"),
    ],
    targets: [
        // Kubernetes core/v1 types, manifest decoding, defaulting, validation, image references.
        .target(name: "PodAPI", dependencies: [.product(name: "Yams", package: "Yams")]),
        // The runtime shim protocol and its value types; no backend.
        .target(name: "ContainerRuntime"),
        // inplace-controller's storage seam: a revisioned key-value store with compare-and-swap and
        // watch (etcd's v3 model), and leader election. No backend.
        .target(name: "APIStore"),
        // The embedded store: APIStore's model in one SQLite file (GRDB).
        .target(
            name: "SQLiteStore",
            dependencies: ["APIStore", .product(name: "GRDB", package: "GRDB.swift")]),
        // The Kubernetes API's shapes beyond PodAPI: resources, Status errors, strategic and JSON
        // merge patches, label and field selectors. Pure.
        .target(name: "KubeAPI", dependencies: ["PodAPI"]),
        // The API server's storage layer: objects in a KeyValueStore, CAS writes, graceful pod
        // deletion, watches.
        .target(name: "APIRegistry", dependencies: ["APIStore", "KubeAPI", "PodAPI"]),
        // The HTTP API (Hummingbird): paths, bearer tokens, node authorization, watch streams.
        .target(
            name: "APIServer",
            dependencies: [
                "APIRegistry", "KubeAPI", "PodAPI",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]),
        // The leader's control loops: scheduler (placement) and node lifecycle.
        .target(
            name: "ControllerLoops",
            dependencies: ["APIRegistry", "KubeAPI", "PodAPI", .product(name: "Logging", package: "swift-log")]),
        // A deterministic, fault-injectable in-memory runtime.
        .target(name: "MockRuntime", dependencies: ["ContainerRuntime"]),
        // SQLite state through GRDB.
        .target(name: "StateStore", dependencies: [.product(name: "GRDB", package: "GRDB.swift")]),
        // Probe handlers (kubelet's prober): exec through the runtime, httpGet, tcpSocket.
        .target(
            name: "Prober",
            dependencies: [
                "ContainerRuntime", "PodAPI",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]),
        // Hashing, pod workers, SyncPod, the in-place update state machine, status generation.
        .target(
            name: "NodeAgent",
            dependencies: [
                "PodAPI", "ContainerRuntime", "StateStore", "Prober",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]),
        // The status socket API (HTTP on a unix socket).
        .target(
            name: "StatusServer",
            dependencies: [
                "NodeAgent", "PodAPI",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]),
        // inplacectl's client and printers (tables as kubectl prints them, describe).
        .target(
            name: "CLIKit",
            dependencies: [
                "PodAPI",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Yams", package: "Yams"),
            ]),
        // Delivery of PodStatus and the node heartbeat to the controller endpoint, from the outbox.
        .target(
            name: "Reporter",
            dependencies: [
                "StateStore", "PodAPI", "NodeAgent",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]),
        // CRI v1 messages and gRPC clients, generated by scripts/gen-cri.sh from Protos/runtime/v1/api.proto.
        .target(
            name: "CRIProto",
            dependencies: [
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ]),
        // The real runtime shim: a CRI v1 client (containerd, CRI-O) over the runtime's unix socket.
        .target(
            name: "CRIRuntime",
            dependencies: [
                "ContainerRuntime", "CRIProto",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]),
        // systemd integration: sd_notify (READY/STOPPING/WATCHDOG/STATUS), the watchdog and
        // stopping services, journald-format log lines. No project dependencies.
        .target(
            name: "SystemdSupport",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]),
        .executableTarget(
            name: "inplaced",
            dependencies: [
                "PodAPI", "ContainerRuntime", "MockRuntime", "CRIRuntime", "StateStore", "NodeAgent", "StatusServer", "SystemdSupport",
                "Reporter",
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
            ]),
        .executableTarget(
            name: "inplacectl",
            dependencies: [
                "CLIKit", "PodAPI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .executableTarget(
            name: "inplace-controller",
            dependencies: [
                "APIStore", "SQLiteStore", "APIRegistry", "APIServer", "ControllerLoops",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]),
        // The node simulator behind scripts/bench-fleet.sh.
        .executableTarget(
            name: "inplace-fleet-bench",
            dependencies: [
                "PodAPI",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]),
        // The benchmark behind scripts/bench.sh.
        .executableTarget(
            name: "inplaced-bench",
            dependencies: [
                "NodeAgent", "MockRuntime", "StateStore", "PodAPI",
                .product(name: "Logging", package: "swift-log"),
            ]),
        // The benchmark behind scripts/bench-cri.sh: the agent on real containerd against the raw CRI floor.
        .executableTarget(
            name: "inplaced-bench-cri",
            dependencies: [
                "NodeAgent", "CRIRuntime", "ContainerRuntime", "StateStore", "PodAPI",
                .product(name: "Logging", package: "swift-log"),
            ]),
        .testTarget(name: "PodAPITests", dependencies: ["PodAPI"], exclude: ["Fixtures"]),
        .testTarget(name: "MockRuntimeTests", dependencies: ["MockRuntime", "ContainerRuntime"]),
        .testTarget(name: "StateStoreTests", dependencies: ["StateStore"], exclude: ["Fixtures"]),
        // A loopback HTTP server for the probe tests of ProberTests and AgentScenarioTests.
        .target(
            name: "ProbeTestSupport",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ], path: "Tests/ProbeTestSupport"),
        .testTarget(
            name: "ProberTests",
            dependencies: [
                "Prober", "PodAPI", "ContainerRuntime", "MockRuntime", "ProbeTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]),
        .testTarget(
            name: "NodeAgentTests",
            dependencies: [
                "NodeAgent", "PodAPI", "MockRuntime", "ContainerRuntime", "StateStore", "Prober",
            ]),
        // Pods, events and updates at fixed instants, for the printer and status route tests.
        .target(name: "PodFixtures", dependencies: ["PodAPI"], path: "Tests/PodFixtures"),
        .testTarget(
            name: "StatusServerTests",
            dependencies: [
                "StatusServer", "NodeAgent", "PodAPI", "CLIKit", "PodFixtures", .product(name: "Logging", package: "swift-log"),
            ]),
        // inplacectl's printers and commands, without a server.
        .testTarget(name: "CLIKitTests", dependencies: ["CLIKit", "PodAPI", "PodFixtures"]),
        .testTarget(
            name: "InplacedTests",
            dependencies: [
                "inplaced", "CRIRuntime", "NodeAgent", "StateStore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]),
        .testTarget(
            name: "ReporterTests",
            dependencies: [
                "Reporter", "StateStore", "PodAPI",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]),
        // Unit tests always; the real-containerd tests when INPLACED_CRI_ENDPOINT is set.
        .testTarget(
            name: "CRIRuntimeTests",
            dependencies: [
                "CRIRuntime", "CRIProto", "ContainerRuntime",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .testTarget(
            name: "SystemdSupportTests",
            dependencies: [
                "SystemdSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]),
        .testTarget(name: "KubeAPITests", dependencies: ["KubeAPI", "PodAPI"]),
        .testTarget(name: "APIServerTests", dependencies: ["APIServer", "APIRegistry", "SQLiteStore", "APIStore", "PodAPI"]),
        // The fleet as real processes on loopback: inplace-controller and inplaced agents.
        .testTarget(
            name: "FleetTests",
            dependencies: [
                "PodAPI",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]),
        // End-to-end scenarios: the agent on the mock runtime, observed through the real socket.
        .testTarget(
            name: "AgentScenarioTests",
            dependencies: [
                "NodeAgent", "PodAPI", "MockRuntime", "ContainerRuntime", "CRIRuntime", "StateStore", "StatusServer", "CLIKit",
                "ProbeTestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ]),
    ],
    swiftLanguageModes: [.v6]
)

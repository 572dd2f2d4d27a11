import EtcdClusterLock
import Foundation
import NIOHTTP1
import Testing

/// The fleet on a real 3-member etcd cluster (`INPLACED_ETCD_ENDPOINTS`, started by
/// `scripts/etcd-cluster.sh up`; `.ci/run` requires it with `INPLACED_REQUIRE_ETCD=1`).
@Suite("A fleet on etcd", .serialized)
struct EtcdFleetTests {
    static let endpoints = ProcessInfo.processInfo.environment["INPLACED_ETCD_ENDPOINTS"]
    static let clusterDir = ProcessInfo.processInfo.environment["INPLACED_ETCD_DIR"]

    @Test("etcd is required when INPLACED_REQUIRE_ETCD=1")
    func required() {
        if ProcessInfo.processInfo.environment["INPLACED_REQUIRE_ETCD"] == "1" {
            #expect(Self.endpoints != nil, "INPLACED_REQUIRE_ETCD=1 but INPLACED_ETCD_ENDPOINTS is not set")
            #expect(Self.clusterDir != nil, "INPLACED_REQUIRE_ETCD=1 but INPLACED_ETCD_DIR is not set: the member-stop step would not run")
        }
    }

    @Test(
        "on etcd with two replicas: the same scenario as on SQLite",
        .enabled(if: endpoints != nil, "needs an etcd cluster: INPLACED_ETCD_ENDPOINTS=… (scripts/etcd-cluster.sh up DIR prints it)"))
    func scenario() async throws {
        try await EtcdClusterLock.exclusive { try await runScenario() }
    }

    func runScenario() async throws {
        let fleet = try Fleet(agents: 3, etcd: Self.endpoints, replicas: 2)
        try await fleet.closing {
            try fleet.startController(1)
            try await FleetScenario.run(fleet) { fleet in try fleet.startController(0) }
        }
    }

    @Test(
        "on etcd: the leader killed mid-placement, another replica takes over, no pod placed twice; one member stopped, the API serves",
        .enabled(if: endpoints != nil, "needs an etcd cluster: INPLACED_ETCD_ENDPOINTS=… (scripts/etcd-cluster.sh up DIR prints it)"))
    func leaderKilled() async throws {
        try await EtcdClusterLock.exclusive { try await runLeaderKilled() }
    }

    func runLeaderKilled() async throws {
        let fleet = try Fleet(agents: 2, etcd: Self.endpoints, replicas: 2)
        try await fleet.closing {
            try fleet.startController(0)
            try await fleet.eventually("replica 0 leads") { fleet.leader() == 0 }
            try fleet.startController(1)
            fleet.agentReplica = 1
            for i in 0..<2 { try fleet.startAgent(i) }
            try await fleet.eventually("two Ready nodes") {
                try await fleet.call(.GET, "/api/v1/nodes", replica: 1).body.array("items").filter {
                    Fleet.condition($0, "Ready")?.string("status") == "True"
                }.count == 2
            }
            for i in 0..<30 {
                _ = try await fleet.call(.POST, "/api/v1/namespaces/default/pods", body: Fleet.podJSON("p-\(i)"), replica: 1)
            }
            await fleet.controllers[0]?.stop(SIGKILL)
            try await fleet.eventually("replica 1 leads", seconds: 30) { fleet.leader() == 1 }
            try await fleet.eventually("30 pods Running", seconds: 60) {
                let pods = try await fleet.call(.GET, "/api/v1/pods", replica: 1).body.array("items")
                return pods.count == 30 && pods.allSatisfy { $0["status"]?.string("phase") == "Running" }
            }
            let events = try await fleet.call(.GET, "/api/v1/events", replica: 1).body.array("items").filter {
                $0.string("reason") == "Scheduled"
            }
            var perPod: [String: Int] = [:]
            for e in events { perPod[e["involvedObject"]?.string("name") ?? "", default: 0] += 1 }
            #expect(perPod.values.allSatisfy { $0 == 1 }, "a pod scheduled twice: \(perPod.filter { $0.value > 1 })")

            // One etcd member stopped: the API keeps serving reads and writes; then it returns.
            if let dir = Self.clusterDir {
                try #require(try await EtcdClusterScript.run(["stop-member", dir, "1"]) == 0)
                do {
                    try await podPlacedWithAMemberDown(fleet)
                } catch {
                    _ = try? await EtcdClusterScript.run(["start-member", dir, "1"])
                    throw error
                }
                try #require(try await EtcdClusterScript.run(["start-member", dir, "1"]) == 0)
            }
        }
    }

    /// With one etcd member stopped, a pod is created and placed, and runs.
    func podPlacedWithAMemberDown(_ fleet: Fleet) async throws {
        let created = try await fleet.call(.POST, "/api/v1/namespaces/default/pods", body: Fleet.podJSON("during-outage"), replica: 1)
        #expect(created.code == 201)
        try await fleet.eventually("the pod placed and Running with a member down", seconds: 60) {
            try await fleet.call(.GET, "/api/v1/namespaces/default/pods/during-outage", replica: 1).body["status"]?.string("phase")
                == "Running"
        }
    }

    @Test(
        "on etcd with two replicas and 5 agents: a CloneSet rolled out in place, the leader SIGKILLed mid-rollout, the other replica finishes it",
        .enabled(if: endpoints != nil, "needs an etcd cluster: INPLACED_ETCD_ENDPOINTS=… (scripts/etcd-cluster.sh up DIR prints it)"))
    func cloneSetLeaderKilled() async throws {
        try await EtcdClusterLock.exclusive {
            let fleet = try Fleet(agents: 5, etcd: Self.endpoints, replicas: 2)
            try await fleet.closing {
                try fleet.startController(0)
                try await fleet.eventually("replica 0 leads") { fleet.leader() == 0 }
                try fleet.startController(1)
                fleet.agentReplica = 1
                try await fleet.eventually("replica 1 answers") { try await fleet.call(.GET, "/api/v1/nodes", replica: 1).code == 200 }
                try await CloneSetScenario.run(fleet, agents: 5) { fleet in
                    await fleet.controllers[0]?.stop(SIGKILL)
                    try await fleet.eventually("replica 1 leads", seconds: 30) { fleet.leader() == 1 }
                    return 1
                }
                #expect(fleet.controllers[1]?.log.contains("cloneset controller: started") == true)
            }
        }
    }
}

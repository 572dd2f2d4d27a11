import EtcdClusterLock
import Foundation
import NIOHTTP1
import Testing

/// The SQLite fleets also take the etcd tests' lock: two fleets of processes at once on two cores
/// would measure the machine, not the fleet.
@Suite("A fleet of real processes", .serialized)
struct FleetTests {
    @Test("on SQLite: placement, in-place upgrade, conditions, bad input, a lost node, a controller outage")
    func sqlite() async throws {
        try await EtcdClusterLock.exclusive { try await runSQLite() }
    }

    func runSQLite() async throws {
        let fleet = try Fleet(agents: 3)
        try await fleet.closing {
            try await FleetScenario.run(fleet) { fleet in try fleet.startController() }
        }
    }

    @Test("on SQLite: the controller killed while placing binds every pod once")
    func killedWhilePlacing() async throws {
        try await EtcdClusterLock.exclusive { try await runKilledWhilePlacing() }
    }

    func runKilledWhilePlacing() async throws {
        let fleet = try Fleet(agents: 2)
        try await fleet.closing {
            try fleet.startController()
            for i in 0..<2 { try fleet.startAgent(i) }
            try await fleet.eventually("two Ready nodes") {
                try await fleet.call(.GET, "/api/v1/nodes").body.array("items").filter {
                    Fleet.condition($0, "Ready")?.string("status") == "True"
                }.count == 2
            }
            for i in 0..<30 { _ = try await fleet.call(.POST, "/api/v1/namespaces/default/pods", body: Fleet.podJSON("p-\(i)")) }
            await fleet.controllers[0]?.stop(SIGKILL)
            try fleet.startController()
            try await fleet.eventually("30 pods Running", seconds: 60) {
                let pods = try await fleet.pods()
                return pods.count == 30 && pods.allSatisfy { $0["status"]?.string("phase") == "Running" }
            }
            let events = try await fleet.call(.GET, "/api/v1/events").body.array("items").filter { $0.string("reason") == "Scheduled" }
            var perPod: [String: Int] = [:]
            for e in events { perPod[e["involvedObject"]?.string("name") ?? "", default: 0] += 1 }
            #expect(perPod.values.allSatisfy { $0 == 1 }, "a pod scheduled twice: \(perPod.filter { $0.value > 1 })")
            // Each pod runs on exactly the node it is bound to, once.
            for (i, agentDir) in ["node-1", "node-2"].enumerated() {
                let bound = try await fleet.pods().filter { $0["spec"]?.string("nodeName") == agentDir }.count
                _ = i
                #expect(bound > 0)
            }
        }
    }
}

@Suite("CloneSets across a fleet", .serialized)
struct CloneSetFleetTests {
    @Test(
        "on SQLite with 5 agents: create, an in-place rollout within maxUnavailable, scale, partition, delete, a bad image with and without rollback"
    )
    func sqlite() async throws {
        try await Fleet.with(agents: 5) { fleet in
            try await CloneSetScenario.run(fleet, agents: 5)
            try await BadRevisionScenario.run(fleet, name: "stuck", rollback: false)
            try await BadRevisionScenario.run(fleet, name: "undo", rollback: true)
        }
    }

    @Test("on SQLite with 5 agents: scatter and weight order observed, paused halting, InPlaceOnly refusing, ReCreate recreating")
    func strategies() async throws {
        try await Fleet.with(agents: 5) { fleet in
            for i in 0..<5 { try fleet.startAgent(i) }
            try await StrategiesScenario.run(fleet)
        }
    }
}

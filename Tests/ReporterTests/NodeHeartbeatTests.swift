import Foundation
import NIOConcurrencyHelpers
import PodAPI
import Testing

@testable import Reporter

@Suite("Node heartbeat")
struct NodeHeartbeatTests {
    static let host = HostInfo(
        machineID: "machine-1", systemUUID: "uuid-1", bootID: "boot-1",
        kernelVersion: "6.8.0", osImage: "Test Linux", operatingSystem: "linux",
        architecture: "amd64")

    static func info(ready: Bool = true, message: String? = nil) -> NodeHeartbeatInfo {
        NodeHeartbeatInfo(
            ready: ready, notReadyMessage: message, runtimeName: "mock", runtimeVersion: "1.2.3",
            agentVersion: "0.9.0", podCapacity: 110)
    }

    static func json(_ request: RecordedRequest) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(request.body.utf8)) as? [String: Any])
    }

    @Test("registers the Node, renews its Lease every interval, patches its status once while it is unchanged")
    func bodyAndPeriod() async throws {
        let controller = try await TestController.start()
        let dir = try TempDir()
        defer { dir.remove() }
        let token = dir.path("token")
        try "node-token".write(toFile: token, atomically: true, encoding: .utf8)
        let clock = TestClock()
        let starts = LockedList<ContinuousClock.Instant>()
        let interval = 0.2
        let reporter = try NodeStatusReporter(
            endpoint: ControllerEndpoint(url: controller.url + "/", tokenFile: token, userAgent: "inplaced/0.9.0"),
            nodeName: "node-1", interval: interval, host: Self.host, logger: quietLogger, now: clock.function
        ) {
            starts.append(ContinuousClock.now)
            return Self.info()
        }
        try await whileRunning(reporter) {
            try await eventually("four heartbeats") { reporter.state.sent >= 4 }
        }
        let requests = controller.requests
        for request in requests { #expect(request.authorization == "Bearer node-token") }
        let registration = try #require(requests.first)
        #expect(registration.method == "POST")
        #expect(registration.path == "/api/v1/nodes")
        #expect(registration.contentType == "application/json")
        let registered = try Self.json(registration)
        let labels = (registered["metadata"] as? [String: Any])?["labels"] as? [String: String]
        #expect(labels == ["kubernetes.io/hostname": "node-1", "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64"])
        let leases = requests.filter { $0.path == "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/node-1" }
        #expect(leases.count >= 4)
        for lease in leases {
            #expect(lease.method == "PUT")
            let body = try Self.json(lease)
            let spec = try #require(body["spec"] as? [String: Any])
            #expect(spec["holderIdentity"] as? String == "node-1")
            #expect(spec["leaseDurationSeconds"] as? Int == 40)
            #expect((spec["renewTime"] as? String)?.hasSuffix("Z") == true)
        }
        let patches = requests.filter { $0.path == "/api/v1/nodes/node-1/status" }
        #expect(patches.count == 1, "an unchanged status is patched once (then every 5 minutes)")
        let patch = try #require(patches.first)
        #expect(patch.method == "PATCH")
        #expect(patch.contentType == "application/strategic-merge-patch+json")
        let node = try Self.json(patch)
        let now = Time.format(clock.now)
        let expected: [String: Any] = [
            "status": [
                "conditions": [
                    [
                        "type": "Ready", "status": "True", "reason": "KubeletReady",
                        "message": "kubelet is posting ready status",
                        "lastHeartbeatTime": now, "lastTransitionTime": now,
                    ]
                ],
                "nodeInfo": [
                    "machineID": "machine-1", "systemUUID": "uuid-1", "bootID": "boot-1", "kernelVersion": "6.8.0",
                    "osImage": "Test Linux", "containerRuntimeVersion": "mock://1.2.3",
                    "kubeletVersion": "inplaced/0.9.0", "kubeProxyVersion": "", "operatingSystem": "linux",
                    "architecture": "amd64",
                ],
                "capacity": ["pods": "110"],
                "allocatable": ["pods": "110"],
            ]
        ]
        #expect(NSDictionary(dictionary: node).isEqual(to: expected), "\(patch.body)")
        // Heartbeats start one interval apart at least (sleeps never end early), never in a burst.
        let times = starts.items
        #expect(times.count >= 4)
        for k in 1..<times.count {
            #expect(times[k] - times[0] >= .seconds(interval * Double(k)))
        }
        #expect(reporter.state.sent >= 4)
        #expect(reporter.state.failed == 0)
        await controller.stop()
    }

    @Test("readiness changes move lastTransitionTime; the heartbeat time moves every beat")
    func transitions() async throws {
        let controller = try await TestController.start()
        let clock = TestClock()
        let ready = NIOLockedValueBox(true)
        let start = clock.now
        let reporter = try NodeStatusReporter(
            endpoint: ControllerEndpoint(url: controller.url), nodeName: "n", interval: 0.05, host: Self.host,
            logger: quietLogger, now: clock.function
        ) {
            let value = ready.withLockedValue { $0 }
            return Self.info(ready: value, message: value ? nil : "container runtime is down")
        }
        /// The Ready condition of each node status patch received so far.
        func conditions() throws -> [[String: Any]] {
            try controller.requests.filter { $0.path == "/api/v1/nodes/n/status" }.map { request in
                let node = try Self.json(request)
                let status = try #require(node["status"] as? [String: Any])
                return try #require((status["conditions"] as? [[String: Any]])?.first)
            }
        }
        /// The first heartbeat whose condition satisfies `match`, once one arrived.
        func firstCondition(_ what: String, where match: @escaping ([String: Any]) -> Bool) async throws -> [String: Any] {
            try await eventually(what) { try conditions().contains(where: match) }
            return try #require(try conditions().first(where: match))
        }
        try await whileRunning(reporter) {
            try await eventually("a status patch") { try conditions().count >= 1 }
            // An unchanged status is patched again after 5 minutes (nodeStatusReportFrequency).
            clock.advance(by: 301)
            let later = Time.format(start.addingTimeInterval(301))
            var condition = try await firstCondition("a later heartbeat") { $0["lastHeartbeatTime"] as? String == later }
            #expect(condition["status"] as? String == "True")
            #expect(condition["lastTransitionTime"] as? String == Time.format(start))

            clock.advance(by: 5)
            ready.withLockedValue { $0 = false }
            condition = try await firstCondition("a not-ready heartbeat") { $0["status"] as? String == "False" }
            #expect(condition["reason"] as? String == "KubeletNotReady")
            #expect(condition["message"] as? String == "container runtime is down")
            #expect(condition["lastTransitionTime"] as? String == Time.format(start.addingTimeInterval(306)))
            #expect(condition["lastHeartbeatTime"] as? String == Time.format(start.addingTimeInterval(306)))
        }
        await controller.stop()
    }

    @Test("a failing controller is recorded and the next beat retries")
    func failures() async throws {
        let controller = try await TestController.start()
        await controller.stop()
        let outcomes = LockedList<DeliveryFailureKind?>()
        let reporter = try NodeStatusReporter(
            endpoint: ControllerEndpoint(url: controller.url), nodeName: "n", interval: 0.05, host: Self.host,
            observer: ClosureReporterObserver(onHeartbeat: { outcomes.append($0) }), logger: quietLogger
        ) { Self.info() }
        try await whileRunning(reporter) {
            try await eventually("failed heartbeats") { reporter.state.failed >= 2 }
            #expect(reporter.state.lastError?.hasPrefix("POST \(controller.url)/api/v1/nodes: ") == true)
            try await controller.restart()
            try await eventually("a heartbeat after the restart") { reporter.state.sent >= 1 }
        }
        #expect(outcomes.items.contains(.some(.connection)))
        #expect(outcomes.items.contains(.none))
        await controller.stop()
    }

    @Test("the interval must be positive")
    func invalidInterval() throws {
        #expect(throws: ReporterError.self) {
            try NodeStatusReporter(
                endpoint: ControllerEndpoint(url: "http://c"), nodeName: "n", interval: 0,
                host: Self.host
            ) { Self.info() }
        }
    }
}

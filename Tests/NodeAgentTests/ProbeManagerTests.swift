import Foundation
import Logging
import MockRuntime
import PodAPI
import Prober
import StateStore
import Testing

@testable import NodeAgent

/// kubelet's prober-manager rules on a hand-driven clock with a scripted probe handler.
@Suite struct ProbeManagerTests {
    // MARK: Pure rules

    @Test func thresholdsNeedConsecutiveRuns() {
        var t = ProbeThresholds(kind: .readiness, probe: Probe(handler: nil, successThreshold: 2, failureThreshold: 3))
        #expect(t.record(success: true) == nil)
        #expect(t.record(success: true) == .success)
        #expect(t.record(success: true) == .success)
        #expect(t.record(success: false) == nil)
        #expect(t.record(success: false) == nil)
        #expect(t.record(success: true) == nil)  // the run of failures is broken
        #expect(t.record(success: false) == nil)
        #expect(t.record(success: false) == nil)
        #expect(t.record(success: false) == .failure)
    }

    @Test func livenessAndStartupNeedOneSuccessWhateverTheSpecSays() {
        var l = ProbeThresholds(kind: .liveness, probe: Probe(handler: nil, successThreshold: 5, failureThreshold: 1))
        #expect(l.record(success: false) == .failure)
        #expect(l.record(success: true) == .success)
        var s = ProbeThresholds(kind: .startup, probe: Probe(handler: nil, successThreshold: 3))
        #expect(s.record(success: true) == .success)
    }

    @Test func scheduleWaitsTheInitialDelayFromTheContainerStartThenEveryPeriod() {
        let p = Probe(handler: nil, initialDelaySeconds: 5, periodSeconds: 2)
        #expect(ProbeSchedule.first(startedAt: 100, now: 101, probe: p) == 105)
        #expect(ProbeSchedule.first(startedAt: 100, now: 110, probe: p) == 110)
        #expect(ProbeSchedule.next(after: 105, now: 105.5, probe: p) == 107)
        #expect(ProbeSchedule.next(after: 105, now: 109, probe: p) == 109)  // a slow probe causes no burst
    }

    @Test func initialResultsAreKubelets() {
        #expect(ProbeKind.readiness.initialResult == .failure)
        #expect(ProbeKind.liveness.initialResult == .success)
        #expect(ProbeKind.startup.initialResult == .unknown)
    }

    // MARK: The manager on a manual clock

    @Test func firstProbeWaitsTheInitialDelayThenReadinessFlipsAtItsThresholds() async throws {
        let env = try Env()
        defer { env.close() }
        let probe = #"{"exec":{"command":["ready"]},"initialDelaySeconds":5,"periodSeconds":1,"successThreshold":2,"failureThreshold":2}"#
        let pod = try env.pod(readiness: probe)
        env.handler.answer { _, _ in .success(output: "") }
        env.manager.observe(uid: "u1", pod: pod, running: ["app": .init(id: "c1", startedAt: env.clock.now())], podIP: "10.0.0.1")
        #expect(env.status(pod, "c1") == ContainerProbeStatus(started: true, ready: false))  // readiness starts Failure

        try await env.clock.waitForSleepers(1)
        env.clock.advance(4)
        try await env.clock.waitForSleepers(1)
        #expect(env.handler.calls(.readiness) == 0)  // 4 s < initialDelaySeconds
        env.clock.advance(1)
        try await until { env.handler.calls(.readiness) == 1 }
        #expect(env.status(pod, "c1").ready == false)  // one success < successThreshold 2
        try await env.step()
        try await until { env.handler.calls(.readiness) == 2 }
        try await until { env.status(pod, "c1").ready }
        try await until { env.changes.contains("u1") }  // the change callback runs after the result is stored

        env.handler.answer { _, _ in .failure(output: "HTTP probe failed with statuscode: 503") }
        try await env.step()
        try await until { env.handler.calls(.readiness) == 3 }
        #expect(env.status(pod, "c1").ready)  // one failure < failureThreshold 2
        try await env.step()
        try await until { !env.status(pod, "c1").ready }
        try await until {
            try env.events().contains {
                $0.reason == "Unhealthy" && $0.message == "Readiness probe failed: HTTP probe failed with statuscode: 503"
                    && $0.type == "Warning"
            }
        }
    }

    @Test func startupGatesLivenessAndReadinessAndRunsNoMoreOnceItPassed() async throws {
        let env = try Env()
        defer { env.close() }
        let pod = try env.pod(
            readiness: #"{"exec":{"command":["ready"]},"periodSeconds":1}"#,
            liveness: #"{"exec":{"command":["live"]},"periodSeconds":1}"#,
            startup: #"{"exec":{"command":["start"]},"periodSeconds":1,"failureThreshold":30}"#)
        let startupPasses = Flag()
        env.handler.answer { kind, _ in
            if kind == .startup { return startupPasses.value ? .success(output: "") : .failure(output: "not yet") }
            return .success(output: "")
        }
        env.manager.observe(uid: "u1", pod: pod, running: ["app": .init(id: "c1", startedAt: env.clock.now())], podIP: "10.0.0.1")
        try await until { env.handler.calls(.startup) == 1 }
        for n in 2...3 {
            try await env.step()
            try await until { env.handler.calls(.startup) == n }
        }
        #expect(env.handler.calls(.readiness) == 0 && env.handler.calls(.liveness) == 0)
        #expect(env.status(pod, "c1") == ContainerProbeStatus(started: false, ready: false))

        startupPasses.value = true
        try await env.step()
        try await until { env.status(pod, "c1").started }
        try await until { env.handler.calls(.readiness) >= 1 && env.handler.calls(.liveness) >= 1 }
        try await until { env.status(pod, "c1").ready }
        let startups = env.handler.calls(.startup)
        try await env.step()
        try await env.step()
        #expect(env.handler.calls(.startup) == startups)
    }

    @Test func livenessFailureHoldsTheWorkerUntilANewContainer() async throws {
        let env = try Env()
        defer { env.close() }
        let pod = try env.pod(liveness: #"{"exec":{"command":["live"]},"periodSeconds":1,"failureThreshold":2}"#)
        env.handler.answer { _, _ in .failure(output: "boom") }
        env.manager.observe(uid: "u1", pod: pod, running: ["app": .init(id: "c1", startedAt: env.clock.now())], podIP: "")
        try await until { env.handler.calls(.liveness) == 1 }
        #expect(env.manager.failedProbe(uid: "u1", container: "app", containerID: "c1") == nil)
        try await env.step()
        try await until { env.manager.failedProbe(uid: "u1", container: "app", containerID: "c1") == .liveness }
        env.clock.advance(5)
        try await Task.sleep(nanoseconds: 50_000_000)
        #expect(env.handler.calls(.liveness) == 2)  // held: no probe after the failure

        env.handler.answer { _, _ in .success(output: "") }
        env.manager.observe(uid: "u1", pod: pod, running: ["app": .init(id: "c2", startedAt: env.clock.now())], podIP: "")
        #expect(env.manager.result(uid: "u1", container: "app", kind: .liveness, containerID: "c2") == .success)
        #expect(env.manager.failedProbe(uid: "u1", container: "app", containerID: "c2") == nil)
        try await until { env.handler.calls(.liveness) == 3 }
        try await until { try env.events().contains { $0.message == "Liveness probe failed: boom" && ($0.count) >= 2 } }
    }

    @Test func grpcProbesAreNeverRunAndSayItOnce() async throws {
        let env = try Env()
        defer { env.close() }
        let grpc = #"{"grpc":{"port":9000},"periodSeconds":1}"#
        let pod = try env.pod(readiness: grpc, liveness: grpc)
        let manager = ProbeManager(
            handler: ProbeRunner(runtime: MockRuntime(), userAgent: "kube-probe/0.1"), store: env.store,
            clock: env.clock, logger: Logger(label: "t"))
        defer { manager.shutdown() }
        manager.observe(uid: "u1", pod: pod, running: ["app": .init(id: "c1", startedAt: env.clock.now())], podIP: "")
        try await until {
            try env.events().filter { $0.message.hasSuffix("probe errored: grpc probes are not supported by inplaced") }.count == 2
        }
        env.clock.advance(3)
        manager.observe(uid: "u1", pod: pod, running: ["app": .init(id: "c1", startedAt: env.clock.now())], podIP: "")
        try await Task.sleep(nanoseconds: 50_000_000)
        let events = try env.events()
        #expect(events.contains { $0.message == "Readiness probe errored: grpc probes are not supported by inplaced" && $0.count == 1 })
        #expect(events.contains { $0.message == "Liveness probe errored: grpc probes are not supported by inplaced" && $0.count == 1 })
        let c = try #require(pod.spec.containers.first)
        #expect(
            manager.status(uid: "u1", container: c, containerID: "c1", running: true) == ContainerProbeStatus(started: true, ready: false))
        #expect(manager.failedProbe(uid: "u1", container: "app", containerID: "c1") == nil)
    }
}

// MARK: Support

/// A store, a manual clock, a scripted handler and a manager recording its sync requests.
final class Env: @unchecked Sendable {
    let dir: URL
    let store: StateStore
    let clock = ManualProbeClock()
    let handler = ScriptedHandler()
    let manager: ProbeManager
    private let lock = NSLock()
    private var changed: [String] = []
    var changes: [String] {
        lock.lock()
        defer { lock.unlock() }
        return changed
    }

    init() throws {
        dir = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("probes-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        store = try StateStore(path: dir.appendingPathComponent("state.db").path)
        var l = Logger(label: "probe-test")
        l.logLevel = .critical
        manager = ProbeManager(handler: handler, store: store, clock: clock, logger: l)
        manager.setOnChange { [weak self] uid in
            guard let self else { return }
            self.lock.withLock { self.changed.append(uid) }
        }
        let now = Date()
        try store.write { tx in
            try tx.savePod(
                PodRecord(
                    uid: "u1", namespace: "default", name: "web", source: "t.yaml", podJSON: "{}", createdAt: now,
                    startTime: nil, terminalPhase: nil, terminalReason: nil, terminalMessage: nil, updatedAt: now))
        }
    }

    func close() {
        manager.shutdown()
        try? FileManager.default.removeItem(at: dir)
    }

    func pod(readiness: String? = nil, liveness: String? = nil, startup: String? = nil) throws -> Pod {
        var fields = [#""name":"app""#, #""image":"nginx""#]
        if let readiness { fields.append(#""readinessProbe":"# + readiness) }
        if let liveness { fields.append(#""livenessProbe":"# + liveness) }
        if let startup { fields.append(#""startupProbe":"# + startup) }
        let json =
            #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web","namespace":"default"},"spec":{"containers":[{"#
            + fields.joined(separator: ",") + "}]}}"
        return try JSONDecoder().decode(Pod.self, from: Data(json.utf8))
    }

    func status(_ pod: Pod, _ id: String) -> ContainerProbeStatus {
        manager.status(uid: "u1", container: pod.spec.containers[0], containerID: id, running: true)
    }

    func events() throws -> [EventRecord] { try store.read { r in try r.events(podUID: "u1", limit: 100) } }

    /// Lets every parked worker finish its sleep, then moves the clock one second.
    func step() async throws {
        try await clock.waitForSleepers(1)
        clock.advance(1)
    }
}

/// A clock moved by hand; sleepers wake when it passes their time.
final class ManualProbeClock: ProbeClock, @unchecked Sendable {
    private let lock = NSLock()
    private var t = Date(timeIntervalSince1970: 1_000_000)
    private var waiters: [(id: UUID, until: Date, cont: CheckedContinuation<Void, Error>)] = []

    func now() -> Date {
        lock.lock()
        defer { lock.unlock() }
        return t
    }

    var sleepers: Int {
        lock.lock()
        defer { lock.unlock() }
        return waiters.count
    }

    func sleep(until date: Date) async throws {
        let id = UUID()
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (c: CheckedContinuation<Void, Error>) in
                lock.lock()
                if date <= t || Task.isCancelled {
                    lock.unlock()
                    if Task.isCancelled { c.resume(throwing: CancellationError()) } else { c.resume() }
                    return
                }
                waiters.append((id, date, c))
                lock.unlock()
            }
        } onCancel: {
            lock.lock()
            let w = waiters.first { $0.id == id }
            waiters.removeAll { $0.id == id }
            lock.unlock()
            w?.cont.resume(throwing: CancellationError())
        }
    }

    func advance(_ seconds: Double) {
        lock.lock()
        t = t.addingTimeInterval(seconds)
        let due = waiters.filter { $0.until <= t }
        waiters.removeAll { $0.until <= t }
        lock.unlock()
        for w in due { w.cont.resume() }
    }

    /// Waits until at least `n` workers are parked in `sleep`.
    func waitForSleepers(_ n: Int) async throws {
        try await until { self.sleepers >= n }
    }
}

/// A handler answering from a closure and counting calls per probe type.
final class ScriptedHandler: ProbeHandler, @unchecked Sendable {
    private let lock = NSLock()
    private var counts: [ProbeKind: Int] = [:]
    private var reply: @Sendable (ProbeKind, Probe) -> ProbeOutcome = { _, _ in .success(output: "") }

    func answer(_ f: @escaping @Sendable (ProbeKind, Probe) -> ProbeOutcome) {
        lock.lock()
        reply = f
        lock.unlock()
    }
    func calls(_ kind: ProbeKind) -> Int {
        lock.lock()
        defer { lock.unlock() }
        return counts[kind] ?? 0
    }

    func run(_ probe: Probe, target: ProbeTarget) async -> ProbeOutcome {
        // The tests name each probe type's command after it: ready, live, start.
        var kind = ProbeKind.liveness
        if case .exec(let command)? = probe.handler {
            kind = command.first == "ready" ? .readiness : command.first == "start" ? .startup : .liveness
        }
        let f = lock.withLock {
            counts[kind, default: 0] += 1
            return reply
        }
        return f(kind, probe)
    }
}

final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var v = false
    var value: Bool {
        get {
            lock.lock()
            defer { lock.unlock() }
            return v
        }
        set {
            lock.lock()
            v = newValue
            lock.unlock()
        }
    }
}

/// Polls every 5 ms until `condition` holds; fails after 2,000 polls.
func until(_ condition: () throws -> Bool) async throws {
    for _ in 0..<2_000 {
        if try condition() { return }
        try await Task.sleep(nanoseconds: 5_000_000)
    }
    Issue.record("condition never held")
    throw CancellationError()
}

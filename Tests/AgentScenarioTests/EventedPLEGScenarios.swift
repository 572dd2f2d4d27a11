import ContainerRuntime
import Foundation
import MockRuntime
import NodeAgent
import PodAPI
import Testing

/// The evented PLEG: the runtime's container events trigger syncs at once, the relist falls back
/// to its long period while they flow and to the short one when they stop.
@Suite(.serialized) struct EventedPLEGScenarios {
    /// A configuration whose generic relist never comes again after the first pass (1 hour).
    static func noRelist(evented: Bool = true) -> AgentConfiguration {
        var c = Harness.fastConfig()
        c.relistPeriodSeconds = 3600
        c.eventedRelistPeriodSeconds = 3600
        c.eventedPLEG = evented
        return c
    }

    static func readyWeb(_ h: Harness) async throws -> String {
        try await h.mock.registry(add: "nginx:1.25")
        try await h.mock.registry(add: "busybox:1.36")
        try await h.apply(Manifests.web(gate: false))
        let p = try await h.waitReady("web")
        return try #require(p.container("app")?.containerID?.replacingOccurrences(of: "mock://", with: ""))
    }

    /// The value of the metric line starting with `name ` (0 when absent).
    static func metric(_ h: Harness, _ name: String) async -> Double {
        let text = await h.agent.metricsText()
        for line in text.split(separator: "\n") where line.hasPrefix(name + " ") {
            return Double(line.split(separator: " ").last ?? "") ?? 0
        }
        return 0
    }

    static func restarted(_ h: Harness, timeout: Double = 10) async throws -> Pod {
        try await h.wait("app restarted", timeout: timeout) { () -> Pod? in
            let p = try await h.pod("web")
            return p.container("app")?.restartCount == 1 && p.container("app")?.state.running != nil ? p : nil
        }
    }

    @Test("a container that exits by itself is restarted on its event, with no relist after the first")
    func exitNoticedByEvent() async throws {
        let h = try await Harness(config: Self.noRelist())
        defer { Task { await h.stop() } }
        let id = try await Self.readyWeb(h)
        #expect(await h.mock.eventSubscriberCount() == 1)
        try await h.mock.exitContainer(id: id, exitCode: 1)
        let p = try await Self.restarted(h)
        #expect(p.container("app")?.lastState.terminated?.exitCode == 1)
        #expect(await Self.metric(h, "kubelet_pleg_relist_duration_seconds_count") == 1)
        #expect(await Self.metric(h, "inplaced_container_events_total") >= 1)
        #expect(await Self.metric(h, "kubelet_evented_pleg_connection_success_count") == 1)
        let health = await h.agent.health()
        #expect(health.pleg == "evented")
        #expect(health.status == "ok")
    }

    @Test("with the evented PLEG off the same exit waits for a relist (the control of the test above)")
    func exitWaitsForRelistWhenGeneric() async throws {
        let h = try await Harness(config: Self.noRelist(evented: false))
        defer { Task { await h.stop() } }
        let id = try await Self.readyWeb(h)
        #expect(await h.mock.eventSubscriberCount() == 0)
        try await h.mock.exitContainer(id: id, exitCode: 1)
        try await Task.sleep(nanoseconds: 1_000_000_000)
        let before = try await h.pod("web")
        #expect(before.container("app")?.restartCount == 0)
        #expect(before.container("app")?.state.running != nil)
        await h.agent.relistNow()
        _ = try await Self.restarted(h)
    }

    @Test("a runtime without events is relisted at the short period")
    func runtimeWithoutEvents() async throws {
        let mock = MockRuntime()
        await mock.setEventsEnabled(false)
        let h = try await Harness(mock: mock)
        defer { Task { await h.stop() } }
        let id = try await Self.readyWeb(h)
        try await h.mock.exitContainer(id: id, exitCode: 1)
        _ = try await Self.restarted(h)
        #expect(await Self.metric(h, "kubelet_evented_pleg_connection_success_count") == 0)
        #expect(await Self.metric(h, "kubelet_pleg_relist_duration_seconds_count") >= 2)
        #expect(await h.agent.health().pleg == "generic")
    }

    @Test("while events flow the loop still passes every period without listing (the watchdog's liveness)")
    func loopTicksWhileEvented() async throws {
        var config = Self.noRelist()
        config.relistPeriodSeconds = 0.05
        let h = try await Harness(config: config)
        defer { Task { await h.stop() } }
        _ = try await Self.readyWeb(h)
        try await Task.sleep(nanoseconds: 500_000_000)
        let pass = try #require(await h.agent.secondsSincePLEGPass())
        #expect(pass < 0.4)
        #expect(await Self.metric(h, "kubelet_pleg_relist_duration_seconds_count") == 1)
        let since = try #require(await h.agent.health().secondsSinceRelist)
        #expect(since >= 0.5)
    }

    @Test("a change made while the stream is down is caught by the relist that follows it; the agent subscribes again")
    func streamLostAndRegained() async throws {
        let h = try await Harness(config: Self.noRelist())
        defer { Task { await h.stop() } }
        let id = try await Self.readyWeb(h)
        await h.mock.endEventStreams(throwing: .unavailable(call: "GetContainerEvents", detail: "transport is closing"))
        // No subscriber now: this exit sends no event.
        try await h.mock.exitContainer(id: id, exitCode: 3)
        let p = try await Self.restarted(h)
        #expect(p.container("app")?.lastState.terminated?.exitCode == 3)
        #expect(try await h.wait("subscribed again") { await h.mock.eventSubscriberCount() == 1 ? true : nil })
        #expect(await Self.metric(h, "kubelet_evented_pleg_connection_error_count") >= 1)
        #expect(await Self.metric(h, "kubelet_evented_pleg_connection_success_count") == 2)
        let health = await h.agent.health()
        #expect(health.status == "ok")

        // Events again: the next exit is noticed without another relist.
        let relists = await Self.metric(h, "kubelet_pleg_relist_duration_seconds_count")
        let id1 = try #require(p.container("app")?.containerID?.replacingOccurrences(of: "mock://", with: ""))
        try await h.mock.exitContainer(id: id1, exitCode: 4)
        try await h.wait("second restart") { () -> Pod? in
            let p = try await h.pod("web")
            return p.container("app")?.restartCount == 2 && p.container("app")?.state.running != nil ? p : nil
        }
        #expect(await Self.metric(h, "kubelet_pleg_relist_duration_seconds_count") == relists)
    }

    @Test("an event that names no pod (no sandbox status) is resolved by what the relister knows, or by a list")
    func eventWithoutPod() async throws {
        let mock = MockRuntime()
        var flaky = FlakyRuntime(mock: mock)
        flaky.eventsWithoutPod = true
        let h = try await Harness(runtime: flaky, config: Self.noRelist())
        defer { Task { await h.stop() } }
        try await mock.registry(add: "nginx:1.25")
        try await mock.registry(add: "busybox:1.36")
        try await h.apply(Manifests.web(gate: false))
        let p = try await h.waitReady("web")
        let id = try #require(p.container("app")?.containerID?.replacingOccurrences(of: "mock://", with: ""))
        try await mock.exitContainer(id: id, exitCode: 1)
        let restarted = try await Self.restarted(h)
        #expect(restarted.container("app")?.lastState.terminated?.exitCode == 1)
        // The sandbox and containers were made after the first list (the relist period is an
        // hour), so their first events could be placed only by a list made for them.
        #expect(await Self.metric(h, "kubelet_pleg_relist_duration_seconds_count") >= 2)
    }
}

import CRIRuntime
import ContainerRuntime
import Foundation
import GRPCCore
import Logging
import Synchronization
import Testing

/// The client without a runtime: missing socket, calls before run(), after shutdown, cancellation.
@Suite("CRI client lifecycle (no runtime needed)")
struct LifecycleTests {
    static func missingSocket() -> String {
        "/tmp/inplaced-cri-missing-\(UUID().uuidString.prefix(8)).sock"
    }

    @Test(
        "a call to a socket that does not exist fails fast with .unavailable naming call and endpoint",
        .timeLimit(.minutes(1)))
    func missingSocketIsUnavailable() async throws {
        let path = Self.missingSocket()
        let clock = ContinuousClock()
        let start = clock.now
        // A deadline far above the bound below: the failure must come from the refused connect, not the deadline.
        let error = await #expect(throws: ContainerRuntime.RuntimeError.self) {
            try await CRIRuntime.withRuntime(
                endpoint: "unix://\(path)", timeouts: CRITimeouts(general: 30),
                logger: Logger(label: "test")
            ) { runtime in
                _ = try await runtime.version()
            }
        }
        let elapsed = clock.now - start
        guard case .unavailable(let call, let detail) = error else {
            Issue.record("expected .unavailable, got \(String(describing: error))")
            return
        }
        #expect(call == "Version")
        #expect(detail.contains("unix://\(path)"), "detail: \(detail)")
        #expect(!detail.contains("deadline"), "detail: \(detail)")
        // Well inside the call's own 30 s deadline (it fails on the refused connect, not on the
        // deadline); the margin is for a loaded 2-core machine.
        #expect(elapsed < .seconds(15), "took \(elapsed)")
    }

    @Test("every call kind fails the same way on a missing socket (images too)", .timeLimit(.minutes(1)))
    func missingSocketImageCall() async throws {
        let path = Self.missingSocket()
        try await CRIRuntime.withRuntime(
            endpoint: path, timeouts: CRITimeouts(general: 30, pullImage: 30),
            logger: Logger(label: "test")
        ) { runtime in
            await #expect(throws: ContainerRuntime.RuntimeError.self) { _ = try await runtime.imageStatus("example.local/app:v1") }
            do {
                _ = try await runtime.containerStatus(id: "abc")
                Issue.record("no error")
            } catch let error as ContainerRuntime.RuntimeError {
                guard case .unavailable(let call, let detail) = error else {
                    Issue.record("got \(error)")
                    return
                }
                #expect(call == "ContainerStatus")
                #expect(detail.contains(path))
            }
        }
    }

    @Test(
        "a call made while run() never runs waits for its deadline, then says the client is not running",
        .timeLimit(.minutes(1)))
    func callBeforeRun() async throws {
        let runtime = try CRIRuntime(
            endpoint: Self.missingSocket(), timeouts: CRITimeouts(general: 0.5),
            logger: Logger(label: "test"))
        let clock = ContinuousClock()
        let start = clock.now
        do {
            _ = try await runtime.version()
            Issue.record("no error")
        } catch let error as ContainerRuntime.RuntimeError {
            guard case .unavailable(let call, let detail) = error else {
                Issue.record("got \(error)")
                return
            }
            #expect(call == "Version")
            #expect(detail.hasPrefix("deadline exceeded after 0.5 s"), "detail: \(detail)")
            #expect(detail.contains("not running"), "detail: \(detail)")
        }
        let elapsed = clock.now - start
        #expect(elapsed >= .milliseconds(400) && elapsed < .seconds(5), "took \(elapsed)")
    }

    @Test("calls after shutdown() are .unavailable, saying the client is shut down", .timeLimit(.minutes(1)))
    func callAfterShutdown() async throws {
        let runtime = try CRIRuntime(endpoint: Self.missingSocket(), logger: Logger(label: "test"))
        runtime.shutdown()
        do {
            _ = try await runtime.listImages()
            Issue.record("no error")
        } catch let error as ContainerRuntime.RuntimeError {
            guard case .unavailable(let call, let detail) = error else {
                Issue.record("got \(error)")
                return
            }
            #expect(call == "ListImages")
            #expect(detail.contains("shut down"))
        }
    }

    @Test("run() returns soon after its task is cancelled, and after shutdown()", .timeLimit(.minutes(1)))
    func runEnds() async throws {
        let clock = ContinuousClock()
        let cancelled = try CRIRuntime(endpoint: Self.missingSocket(), logger: Logger(label: "test"))
        let task = Task { try await cancelled.run() }
        try await Task.sleep(for: .milliseconds(200))
        let start = clock.now
        task.cancel()
        _ = await task.result
        // Bounds far under the test's one-minute limit, with room for a loaded machine.
        #expect(clock.now - start < .seconds(10))

        let shut = try CRIRuntime(endpoint: Self.missingSocket(), logger: Logger(label: "test"))
        let running = Task { try await shut.run() }
        try await Task.sleep(for: .milliseconds(200))
        let start2 = clock.now
        shut.shutdown()
        _ = await running.result
        #expect(clock.now - start2 < .seconds(10))
    }

    @Test("run() a second time, or after shutdown(), throws instead of running", .timeLimit(.minutes(1)))
    func runOnlyOnce() async throws {
        let runtime = try CRIRuntime(endpoint: Self.missingSocket(), logger: Logger(label: "test"))
        let first = Task { try await runtime.run() }
        try await Task.sleep(for: .milliseconds(100))
        await #expect(throws: GRPCCore.RuntimeError.self) { try await runtime.run() }
        runtime.shutdown()
        _ = await first.result

        let shut = try CRIRuntime(endpoint: Self.missingSocket(), logger: Logger(label: "test"))
        shut.shutdown()
        await #expect(throws: GRPCCore.RuntimeError.self) { try await shut.run() }
        #expect(shut.connectionsOpened == 1)
    }

    @Test(
        "a connection replaced and shut down before run() ran it ends neither run() nor the other connections",
        .timeLimit(.minutes(1)))
    func connectionReplacedBeforeRun() async throws {
        let path = Self.missingSocket()
        let runtime = try CRIRuntime(
            endpoint: path, timeouts: CRITimeouts(general: 2), callsPerConnection: 1,
            logger: Logger(label: "test"))
        _ = try? await runtime.version()  // connection 0: waits its 2 s deadline, nothing runs it yet
        _ = try? await runtime.version()  // connection 1; connection 0, idle, is shut down before it ever ran
        #expect(runtime.connectionsOpened == 2)
        let ended = Mutex(false)
        let running = Task {
            defer { ended.withLock { $0 = true } }
            try await runtime.run()
        }
        try await Task.sleep(for: .milliseconds(300))
        #expect(!ended.withLock { $0 }, "run() ended when connection 0 could not run")
        do {
            _ = try await runtime.version()
            Issue.record("no error")
        } catch let error as ContainerRuntime.RuntimeError {
            guard case .unavailable(_, let detail) = error else {
                Issue.record("got \(error)")
                return
            }
            #expect(detail.contains(path), "detail: \(detail)")
            #expect(!detail.contains("deadline"), "the new connection runs and is refused at once: \(detail)")
        }
        runtime.shutdown()
        _ = await running.result
    }
}

import ContainerRuntime
import Foundation
import Testing

@testable import MockRuntime

/// The mock's container events (CRI `GetContainerEvents`): what each change sends, to whom, and
/// a runtime that has none.
@Suite struct EventTests {
    /// Collects the next `count` events of `stream` (fails the test on a shorter stream).
    func take(_ count: Int, from stream: AsyncThrowingStream<ContainerEvent, any Error>) async throws -> [ContainerEvent] {
        var got: [ContainerEvent] = []
        for try await event in stream {
            got.append(event)
            if got.count == count { break }
        }
        return got
    }

    @Test("every change of a container and its sandbox sends one event, in order, with the pod's UID")
    func lifecycle() async throws {
        let (mock, _) = try await makeMock()
        let stream = try #require(try await mock.containerEvents())
        let pod = podConfig(uid: "uid-1")
        let (sandboxID, id) = try await runContainer(mock, pod: pod)
        try await mock.stopContainer(id: id, timeoutSeconds: 0)
        try await mock.removeContainer(id: id)
        let (_, second) = try await runContainer(mock, pod: pod, attempt: 1, sandboxID: sandboxID)
        try await mock.exitContainer(id: second, exitCode: 1)
        try await mock.removeContainerOutOfBand(id: second)
        let (_, third) = try await runContainer(mock, pod: pod, attempt: 2, sandboxID: sandboxID)
        try await mock.stopPodSandbox(id: sandboxID)
        try await mock.removePodSandbox(id: sandboxID)

        let events = try await take(15, from: stream)
        let names = [sandboxID: "sandbox", id: "c1", second: "c2", third: "c3"]
        let seen = events.map { "\(names[$0.containerID] ?? "?") \($0.type.rawValue)" }
        #expect(
            seen == [
                "sandbox CONTAINER_CREATED_EVENT", "sandbox CONTAINER_STARTED_EVENT",
                "c1 CONTAINER_CREATED_EVENT", "c1 CONTAINER_STARTED_EVENT", "c1 CONTAINER_STOPPED_EVENT", "c1 CONTAINER_DELETED_EVENT",
                "c2 CONTAINER_CREATED_EVENT", "c2 CONTAINER_STARTED_EVENT", "c2 CONTAINER_STOPPED_EVENT", "c2 CONTAINER_DELETED_EVENT",
                "c3 CONTAINER_CREATED_EVENT", "c3 CONTAINER_STARTED_EVENT",
                // Stopping the sandbox kills its running container first; removing it deletes both.
                "c3 CONTAINER_STOPPED_EVENT", "sandbox CONTAINER_STOPPED_EVENT", "c3 CONTAINER_DELETED_EVENT",
            ])
        #expect(events.allSatisfy { $0.podUID == "uid-1" && $0.podSandboxID == sandboxID })
        #expect(events.filter(\.isSandbox).count == 3)
        let last = try await take(1, from: stream)
        #expect(last.map(\.type) == [.deleted])
        #expect(last.first?.isSandbox == true)
    }

    @Test("a change that changes nothing sends nothing: stopping an exited container, removing an unknown one")
    func noChangeNoEvent() async throws {
        let (mock, _) = try await makeMock()
        let (_, id) = try await runContainer(mock)
        let stream = try #require(try await mock.containerEvents())
        try await mock.stopContainer(id: id, timeoutSeconds: 0)
        try await mock.stopContainer(id: id, timeoutSeconds: 0)
        try await mock.removeContainer(id: "no-such-container")
        try await mock.removeContainer(id: id)
        let events = try await take(2, from: stream)
        #expect(events.map(\.type) == [.stopped, .deleted])
    }

    @Test("every subscriber gets every event; a subscriber that goes away is dropped")
    func subscribers() async throws {
        let (mock, _) = try await makeMock()
        let a = try #require(try await mock.containerEvents())
        var b: AsyncThrowingStream<ContainerEvent, any Error>? = try #require(try await mock.containerEvents())
        #expect(await mock.eventSubscriberCount() == 2)
        _ = try await mock.runPodSandbox(podConfig())
        #expect(try await take(2, from: a).map(\.type) == [.created, .started])
        #expect(try await take(2, from: b!).map(\.type) == [.created, .started])
        b = nil
        #expect(try await eventually { await mock.eventSubscriberCount() == 1 })
    }

    @Test("with events off there is no stream, and open streams end, as containerd before 1.7")
    func disabled() async throws {
        let (mock, _) = try await makeMock()
        let open = try #require(try await mock.containerEvents())
        await mock.setEventsEnabled(false)
        #expect(try await mock.containerEvents() == nil)
        var count = 0
        for try await _ in open { count += 1 }
        #expect(count == 0)
        await mock.setEventsEnabled(true)
        #expect(try await mock.containerEvents() != nil)
    }

    @Test("ending the streams with an error reaches every subscriber; a fault fails the call itself")
    func failures() async throws {
        let (mock, _) = try await makeMock()
        let stream = try #require(try await mock.containerEvents())
        await mock.endEventStreams(throwing: .unavailable(call: "GetContainerEvents", detail: "transport is closing"))
        await #expect(throws: RuntimeError.self) {
            for try await _ in stream {}
        }
        await mock.injectFault(.getContainerEvents, error: .unavailable(call: "GetContainerEvents", detail: "connection refused"))
        await #expect(throws: RuntimeError.self) { _ = try await mock.containerEvents() }
        #expect(await mock.calls(.getContainerEvents).count == 2)
    }
}

import APIStore
import Synchronization

/// Collects what a watch stream delivers, from a task of its own, for tests to poll.
final class EventRecorder: Sendable {
    private let state = Mutex<(events: [StoreEvent], error: (any Error)?, finished: Bool)>(([], nil, false))
    private let task = Mutex<Task<Void, Never>?>(nil)

    init(_ stream: AsyncThrowingStream<StoreEvent, any Error>) {
        let consumer = Task { [self] in
            do {
                for try await event in stream { self.state.withLock { $0.events.append(event) } }
                self.state.withLock { $0.finished = true }
            } catch {
                self.state.withLock {
                    $0.error = error
                    $0.finished = true
                }
            }
        }
        task.withLock { $0 = consumer }
    }

    var events: [StoreEvent] { state.withLock { $0.events } }
    var error: (any Error)? { state.withLock { $0.error } }
    var finished: Bool { state.withLock { $0.finished } }

    func cancel() { task.withLock { $0?.cancel() } }
}

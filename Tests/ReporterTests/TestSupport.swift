import Foundation
import Logging
import NIOConcurrencyHelpers
import StateStore
import Testing

@testable import Reporter

struct TimedOut: Error, CustomStringConvertible {
    var what: String
    var description: String { "timed out waiting for \(what)" }
}

/// Polls `condition` until it holds. The timeout only keeps a broken test from hanging; it is
/// generous and never the thing a test asserts.
func eventually(_ what: String, timeout: Double = 60, _ condition: () async throws -> Bool) async throws {
    let clock = ContinuousClock()
    let deadline = clock.now + .seconds(timeout)
    while clock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(20))
    }
    throw TimedOut(what: what)
}

/// A temporary directory, removed by `remove()`.
struct TempDir {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("reporter-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
    func remove() { try? FileManager.default.removeItem(at: url) }
}

/// A file-backed store in its own temporary directory.
final class TestStore: Sendable {
    let dir: TempDir
    let store: StateStore

    init() throws {
        dir = try TempDir()
        store = try StateStore(path: dir.path(StateStore.databaseFileName))
    }

    deinit {
        try? store.close()
        dir.remove()
    }

    /// A status JSON whose `message` identifies it.
    static func statusJSON(_ marker: String) -> String {
        #"{"phase":"Running","message":"\#(marker)"}"#
    }

    /// Queues the status of pod `name` (uid `uid-<name>`) carrying `marker`; returns its seq.
    @discardableResult
    func enqueue(_ name: String, namespace: String = "default", marker: String, at: Date = Date()) throws -> Int64 {
        try store.write { tx in
            try tx.enqueueStatus(
                podUID: "uid-\(name)", namespace: namespace, name: name,
                statusJSON: Self.statusJSON(marker), at: at)
        }
    }

    func depth() throws -> Int { try store.read { try $0.outboxDepth() } }

    func entry(_ name: String) throws -> OutboxRecord? { try store.read { try $0.outboxEntry(podUID: "uid-\(name)") } }
}

/// A wall clock that only moves when told.
final class TestClock: Sendable {
    private let box: NIOLockedValueBox<Date>
    init(_ start: Date = Date(timeIntervalSince1970: 1_800_000_000)) { box = NIOLockedValueBox(start) }
    var now: Date { box.withLockedValue { $0 } }
    func advance(by seconds: TimeInterval) { box.withLockedValue { $0 = $0.addingTimeInterval(seconds) } }
    var function: @Sendable () -> Date { { self.now } }
}

/// Collects log messages.
final class LogCapture: Sendable {
    struct Entry: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: [String: String]
    }

    private let box = NIOLockedValueBox<[Entry]>([])
    var entries: [Entry] { box.withLockedValue { $0 } }

    var logger: Logger {
        Logger(label: "capture") { _ in Handler(capture: self) }
    }

    fileprivate func append(_ entry: Entry) { box.withLockedValue { $0.append(entry) } }

    private struct Handler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { $1 }
            capture.append(
                Entry(
                    level: event.level, message: "\(event.message)",
                    metadata: merged.mapValues { "\($0)" }))
        }
    }
}

let quietLogger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

/// A configuration with short intervals so tests run quickly.
func fastConfiguration(
    url: String, tokenFile: String? = nil, caFile: String? = nil, concurrency: Int = 8,
    requestTimeout: TimeInterval = 10
) throws -> StatusReporterConfiguration {
    try StatusReporterConfiguration(
        endpoint: ControllerEndpoint(
            url: url, tokenFile: tokenFile, caFile: caFile, requestTimeout: requestTimeout,
            userAgent: "inplaced/test"),
        maxConcurrentDeliveries: concurrency, pollInterval: 0.1,
        backoff: DeliveryBackoff(initial: 0.05, maximum: 0.4), rejectedRetryInterval: 300)
}

/// Runs `reporter` while `body` runs, then cancels it and waits for it to stop.
func whileRunning<T>(
    _ service: some RunnableService,
    _ body: () async throws -> T
) async throws -> T {
    let task = Task { try await service.run() }
    do {
        let result = try await body()
        task.cancel()
        try await task.value
        return result
    } catch {
        task.cancel()
        _ = try? await task.value
        throw error
    }
}

/// What `whileRunning` needs.
protocol RunnableService: Sendable {
    func run() async throws
}

extension StatusReporter: RunnableService {}
extension NodeStatusReporter: RunnableService {}

extension StatusReporter {
    /// Waits until `count` more dispatch rounds finished (each looks at the outbox at least once).
    func waitRounds(_ count: Int) async throws {
        let target = rounds + count
        try await eventually("\(count) dispatch rounds") { rounds >= target }
    }
}

/// The marker (`message`) inside a recorded `{"status":{...}}` body.
func marker(of request: RecordedRequest) -> String? {
    guard let data = request.body.data(using: .utf8),
        let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
        let status = object["status"] as? [String: Any]
    else { return nil }
    return status["message"] as? String
}

/// A list shared between tasks.
final class LockedList<T: Sendable>: Sendable {
    private let box = NIOLockedValueBox<[T]>([])
    var items: [T] { box.withLockedValue { $0 } }
    func append(_ item: T) { box.withLockedValue { $0.append(item) } }
}

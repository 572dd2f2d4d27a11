import Foundation
import Logging

/// A liveness check the test flips, counting how often the service asked and with what answer.
final class LivenessProbe: @unchecked Sendable {
    private let lock = NSLock()
    private var alive: Bool
    private var answers: [Bool] = []

    init(alive: Bool) { self.alive = alive }

    func set(alive: Bool) { lock.withLock { self.alive = alive } }

    /// The check handed to `WatchdogService`.
    func check() -> Bool {
        lock.withLock {
            answers.append(alive)
            return alive
        }
    }

    /// How many checks answered `answer` so far.
    func count(answering answer: Bool) -> Int { lock.withLock { answers.filter { $0 == answer }.count } }

    /// Waits until `count(answering:)` reaches `n`; `false` if that takes absurdly long (a hung test).
    func waitFor(_ n: Int, answering answer: Bool) async -> Bool {
        for _ in 0..<2_000 {
            if count(answering: answer) >= n { return true }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return false
    }
}

/// A log handler keeping every record, for asserting what was logged.
struct CapturingLogHandler: LogHandler {
    final class Store: @unchecked Sendable {
        private let lock = NSLock()
        private var records: [(level: Logger.Level, message: String, metadata: Logger.Metadata)] = []
        func append(_ r: (level: Logger.Level, message: String, metadata: Logger.Metadata)) { lock.withLock { records.append(r) } }
        var all: [(level: Logger.Level, message: String, metadata: Logger.Metadata)] { lock.withLock { records } }
        func messages(at level: Logger.Level) -> [String] { all.filter { $0.level == level }.map(\.message) }
    }

    let store: Store
    var logLevel: Logger.Level = .trace
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        store.append((event.level, event.message.description, metadata.merging(event.metadata ?? [:]) { $1 }))
    }

    static func logger() -> (Logger, Store) {
        let store = Store()
        return (Logger(label: "test") { _ in CapturingLogHandler(store: store) }, store)
    }
}

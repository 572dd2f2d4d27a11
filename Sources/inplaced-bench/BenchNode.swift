import Foundation
import Logging
import MockRuntime
import NodeAgent
import StateStore

/// One agent of the benchmark: the mock runtime at zero latency (keeping no call log, a test
/// facility and not part of what an agent holds), a SQLite store and a watched manifest directory,
/// all in a temporary directory removed by ``stop()``.
struct BenchNode {
    let dir: String
    let manifests: String
    let store: StateStore
    let agent: NodeAgent
    let source: ManifestDirectorySource

    /// Starts the agent; the directory is not watched until ``feed()``.
    static func make(relistPeriod: Double) async throws -> BenchNode {
        let dir = NSTemporaryDirectory() + "inplaced-bench-\(UUID().uuidString.prefix(8))"
        let manifests = dir + "/manifests"
        try FileManager.default.createDirectory(atPath: manifests, withIntermediateDirectories: true)
        let mock = MockRuntime(callLogCapacity: 0)
        await mock.setAutoRegistry(true)
        var storeOptions = StoreOptions()
        if let s = ProcessInfo.processInfo.environment["INPLACED_BENCH_CHECKPOINT"].flatMap(Double.init) {
            storeOptions.checkpointIntervalSeconds = s
        }
        let store = try StateStore(path: dir + "/state.db", options: storeOptions)
        let logger = Logger(label: "bench")
        var config = AgentConfiguration(
            nodeName: "bench", relistPeriodSeconds: relistPeriod, defaultGraceSeconds: 0, resyncPeriodSeconds: 0)
        // The daemon's --max-concurrent-syncs (default 64), to see its share of peak memory.
        if let n = ProcessInfo.processInfo.environment["INPLACED_BENCH_SYNCS"].flatMap({ Int($0) }) { config.maxConcurrentSyncs = n }
        let agent = NodeAgent(config: config, runtime: mock, store: store, logger: logger)
        try await agent.start()
        let source = ManifestDirectorySource(directory: manifests, pollSeconds: 600, logger: logger)
        return BenchNode(dir: dir, manifests: manifests, store: store, agent: agent, source: source)
    }

    /// Writes `text` to the manifest `name` as an editor does (a dotfile, then a rename).
    /// No fsync, as `cp`, `kubectl cp` or a configuration tool writes a file: Foundation's
    /// `String.write(toFile:)` fsyncs, and on these VMs (ext4 mounted with `discard`) that fsync
    /// waited 10 to 110 ms for the journal now and then, which measured the disk rather than the
    /// agent.
    func write(_ text: String, to name: String) throws {
        let tmp = "\(manifests)/.tmp"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: tmp]) }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
        close(fd)
        guard written == bytes.count, rename(tmp, "\(manifests)/\(name)") == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: tmp])
        }
    }

    /// Starts watching the manifest directory.
    func feed() -> Task<Void, Never> {
        let agent = self.agent
        let source = self.source
        return Task { await agent.run(source: source) }
    }

    /// Stops the agent and removes the directory.
    func stop(_ feeding: Task<Void, Never>) async throws {
        source.stop()
        feeding.cancel()
        await agent.shutdown()
        try store.close()
        try? FileManager.default.removeItem(atPath: dir)
    }
}

import Foundation
import Logging
import PodAPI

/// The manifest directory as a ``PodSource``, as kubelet's static pod path: `*.yaml`, `*.yml`
/// and `*.json` files (dotfiles skipped), watched with inotify so an edit is acted on at once,
/// and rescanned every `pollSeconds` in case a change went unseen. A file is parsed again only
/// when its size, modification time or inode changed.
public final class ManifestDirectorySource: PodSource, @unchecked Sendable {
    private let directory: String
    private let watcher: DirectoryWatcher
    private let logger: Logger
    private let lock = NSLock()
    private var cache: [String: (stamp: FileStamp, result: ManifestLoadResult)] = [:]
    private var stopped = false
    private var continuation: AsyncStream<DesiredPods>.Continuation?

    /// - Parameters:
    ///   - directory: the manifest directory; it need not exist yet.
    ///   - pollSeconds: fallback rescan period in seconds (kubelet's file check: 20 s).
    public init(directory: String, pollSeconds: Double = 20, logger: Logger) {
        self.directory = directory
        self.watcher = DirectoryWatcher(path: directory, pollSeconds: pollSeconds)
        self.logger = logger
    }

    public func snapshots() -> AsyncStream<DesiredPods> {
        let (stream, cont) = AsyncStream<DesiredPods>.makeStream(bufferingPolicy: .bufferingNewest(1))
        lock.lock(); continuation = cont; lock.unlock()
        let changes = watcher.changes()
        let task = Task { [weak self] in
            var last: DesiredPods?
            for await _ in changes {
                guard let self, !self.isStopped else { break }
                // Let a burst of writes settle (an editor's write + rename).
                try? await Task.sleep(nanoseconds: 20_000_000)
                let snapshot = self.scan()
                if last.map({ !Self.same($0, snapshot) }) ?? true {
                    cont.yield(snapshot)
                    last = snapshot
                }
            }
            cont.finish()
        }
        cont.onTermination = { [watcher] _ in
            task.cancel()
            watcher.stop()
        }
        return stream
    }

    /// Stops watching; the snapshot stream ends.
    public func stop() {
        lock.lock()
        stopped = true
        let c = continuation
        lock.unlock()
        watcher.stop()
        c?.finish()
    }

    private var isStopped: Bool {
        lock.lock(); defer { lock.unlock() }
        return stopped
    }

    /// Reads the directory now: every admitted pod, every error, conflicts between files
    /// resolved in favour of the first file in name order.
    public func scan() -> DesiredPods {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: directory, isDirectory: &isDir), isDir.boolValue,
              let names = try? fm.contentsOfDirectory(atPath: directory) else {
            return DesiredPods(pods: [], errors: [], failedFiles: [], warnings: ["manifest directory \(directory) does not exist"])
        }
        let files = names.filter { !$0.hasPrefix(".") && ManifestLoader.isManifestName($0) }.sorted()
        var pods: [DesiredPods.Entry] = []
        var errors: [ManifestError] = []
        var warnings: [String] = []
        var failed = Set<String>()
        var owner: [String: String] = [:]
        var fresh: [String: (stamp: FileStamp, result: ManifestLoadResult)] = [:]
        lock.lock()
        let old = cache
        lock.unlock()
        for name in files {
            let path = directory + "/" + name
            guard let stamp = FileStamp(path: path) else { continue }
            let result: ManifestLoadResult
            if let c = old[path], c.stamp == stamp {
                result = c.result
            } else {
                result = ManifestLoader.load(file: path)
            }
            fresh[path] = (stamp, result)
            warnings += result.warnings.map(\.description)
            if !result.errors.isEmpty {
                errors += result.errors
                failed.insert(path)
            }
            for admitted in result.pods {
                let key = admitted.pod.key
                if let first = owner[key] {
                    errors.append(ManifestError(file: path, document: admitted.document,
                                                message: "metadata.name: Duplicate value: \"\(key)\": pod \(key) is already defined by \(first)"))
                    failed.insert(path)
                    continue
                }
                owner[key] = path
                pods.append(DesiredPods.Entry(pod: admitted.pod, source: path))
            }
        }
        lock.lock()
        cache = fresh
        lock.unlock()
        return DesiredPods(pods: pods, errors: errors, failedFiles: failed, warnings: warnings)
    }

    private static func same(_ a: DesiredPods, _ b: DesiredPods) -> Bool {
        a.pods.count == b.pods.count && zip(a.pods, b.pods).allSatisfy { $0.pod == $1.pod && $0.source == $1.source }
            && a.errors == b.errors
    }
}

/// What identifies a version of a file without reading it.
struct FileStamp: Equatable {
    var size: Int64
    var mtimeNanoseconds: Int64
    var inode: UInt64

    init?(path: String) {
        var st = stat()
        guard stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        size = Int64(st.st_size)
        mtimeNanoseconds = Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec)
        inode = UInt64(st.st_ino)
    }
}

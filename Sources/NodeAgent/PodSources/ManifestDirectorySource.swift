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
    /// Which file defined each namespace/name at the last scan: it keeps the pod against newcomers.
    private var owners: [String: String] = [:]
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
        lock.lock()
        continuation = cont
        lock.unlock()
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
        lock.lock()
        defer { lock.unlock() }
        return stopped
    }

    /// Reads the directory now: every admitted pod and every error, with conflicts between
    /// files settled by ``ManifestLoader/loadDirectory(_:limits:loadFile:)`` (the first file in
    /// name order keeps the pod). Files whose size, mtime and inode did not change are not parsed again.
    public func scan() -> DesiredPods {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDir), isDir.boolValue else {
            let error = ManifestError(
                file: directory, document: nil,
                message: "manifest directory does not exist or is not a directory; running pods are kept")
            return DesiredPods(pods: [], errors: [error], failedFiles: [], warnings: [], complete: false)
        }
        do {
            _ = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            let error = ManifestError(
                file: directory, document: nil,
                message: "cannot read manifest directory (\(Self.reason(error))); running pods are kept")
            return DesiredPods(pods: [], errors: [error], failedFiles: [], warnings: [], complete: false)
        }
        lock.lock()
        let old = cache
        let previousOwners = owners
        lock.unlock()
        var fresh: [String: (stamp: FileStamp, result: ManifestLoadResult)] = [:]
        let result = ManifestLoader.loadDirectory(
            directory,
            loadFile: { path in
                let stamp = FileStamp(path: path)
                if let stamp, let c = old[path], c.stamp == stamp {
                    fresh[path] = c
                    return c.result
                }
                let r = ManifestLoader.load(file: path)
                if let stamp { fresh[path] = (stamp, r) }
                return r
            }, currentOwner: { previousOwners[$0] })
        var failed = Set(result.errors.map(\.file))
        failed.formUnion(result.files.filter { !$0.errors.isEmpty }.map(\.file))
        var newOwners = previousOwners.filter { failed.contains($0.value) }
        for p in result.pods { newOwners[p.key] = p.file }
        lock.lock()
        cache = fresh
        owners = newOwners
        lock.unlock()
        return DesiredPods(
            pods: result.pods.map { DesiredPods.Entry(pod: $0.pod, source: $0.file) },
            errors: result.errors, failedFiles: failed, warnings: result.warnings.map(\.description))
    }

    private static func reason(_ error: Error) -> String {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain,
            let code = POSIXErrorCode(rawValue: Int32(underlying.code))
        {
            return String(cString: strerror(code.rawValue))
        }
        return ns.localizedDescription
    }

    private static func same(_ a: DesiredPods, _ b: DesiredPods) -> Bool {
        a.pods.count == b.pods.count && zip(a.pods, b.pods).allSatisfy { $0.pod == $1.pod && $0.source == $1.source }
            && a.errors == b.errors
    }
}

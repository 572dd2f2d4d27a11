import Foundation
import Logging
import PodAPI

/// The manifest directory as a ``PodSource``, as kubelet's static pod path: `*.yaml`, `*.yml`
/// and `*.json` files (dotfiles skipped), watched with inotify so an edit is acted on at once,
/// and rescanned every `pollSeconds` in case a change went unseen.
///
/// An event reads only the files inotify named (``DirectoryChanges``), as soon as their write is
/// complete (``InotifyBatch``), and the snapshot it yields is partial: only those files' pods
/// (``DesiredPods/partialSources``), so the agent compares only them. A rescan stats every file
/// and reads only those whose size, modification time or inode changed. A whole snapshot is
/// yielded first, after the directory comes back, and when a change touches a pod two files
/// define (the conflict is settled over all files).
///
/// The stream is pulled: a snapshot is made when the agent asks for the next one, from
/// everything that changed since the last, so no change is lost while the agent is busy.
public final class ManifestDirectorySource: PodSource, @unchecked Sendable {
    private let directory: String
    private let watcher: DirectoryWatcher
    private let logger: Logger
    private let lock = NSLock()
    private var set = ManifestSet()
    private var stamps: [String: FileStamp] = [:]
    /// The last snapshot yielded was incomplete (no directory): the next one must be whole.
    private var needsWhole = true
    private var stopped = false
    /// The last whole snapshot yielded, until a partial one follows it.
    private var lastWhole: DesiredPods?

    /// - Parameters:
    ///   - directory: the manifest directory; it need not exist yet.
    ///   - pollSeconds: fallback rescan period in seconds (kubelet's file check: 20 s).
    public init(directory: String, pollSeconds: Double = 20, logger: Logger) {
        self.directory = directory
        self.watcher = DirectoryWatcher(path: directory, pollSeconds: pollSeconds)
        self.logger = logger
    }

    public func snapshots() -> AsyncStream<DesiredPods> {
        let signals = SignalIterator(watcher.changes())
        let watcher = self.watcher
        return AsyncStream(
            unfolding: { [weak self] in
                while true {
                    guard let self, !self.isStopped, await signals.next() else { return nil }
                    if let snapshot = self.next(watcher.take()) { return snapshot }
                }
            },
            onCancel: { watcher.stop() })
    }

    /// Stops watching; the snapshot stream ends.
    public func stop() {
        lock.lock()
        stopped = true
        lock.unlock()
        watcher.stop()
    }

    private var isStopped: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopped
    }

    /// The snapshot for `changes`, nil when they change nothing.
    func next(_ changes: DirectoryChanges) -> DesiredPods? {
        guard !changes.isEmpty else { return nil }
        lock.lock()
        let whole = needsWhole
        lock.unlock()
        if whole || !Self.isDirectory(directory) { return unlessRepeated(scan()) }
        var names = changes.names
        if changes.rescan {
            guard let listed = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
                return unlessRepeated(scan())
            }
            names.formUnion(listed.filter(ManifestLoader.isManifestName))
            lock.lock()
            names.formUnion(set.files.keys.map { ($0 as NSString).lastPathComponent })
            lock.unlock()
        }
        lock.lock()
        defer { lock.unlock() }
        var changed: Set<String> = []
        for name in names.sorted(by: ManifestSet.nameOrder) {
            let path = (directory as NSString).appendingPathComponent(name)
            let stamp = FileStamp(path: path)
            if let stamp, stamps[path] == stamp { continue }
            let result: ManifestLoadResult?
            if stamp == nil {
                // Gone, or not a regular file: a directory or device with a manifest's name is
                // reported by the whole read (as loadDirectory warns of it).
                if ManifestLoader.entryExists(path) { return unlessRepeatedLocked(wholeLocked()) }
                if set.files[path] == nil { continue }
                result = nil
            } else {
                let r = ManifestLoader.load(file: path)
                if !r.errors.isEmpty, !ManifestLoader.entryExists(path) { continue }
                result = r
            }
            if set.files[path] == result {
                stamps[path] = stamp
                continue
            }
            guard set.update(path, with: result) else { return unlessRepeatedLocked(wholeLocked()) }
            stamps[path] = stamp
            changed.insert(path)
        }
        guard !changed.isEmpty else { return nil }
        var snapshot = DesiredPods(
            pods: set.pods(of: changed), errors: set.errors, failedFiles: set.failedFiles, warnings: set.warnings.map(\.description))
        snapshot.partialSources = changed
        lastWhole = nil
        return snapshot
    }

    /// `snapshot`, or nil when it is a whole one equal to the last yielded (a directory that is
    /// still missing at every rescan is said once).
    private func unlessRepeated(_ snapshot: DesiredPods) -> DesiredPods? {
        lock.lock()
        defer { lock.unlock() }
        return unlessRepeatedLocked(snapshot)
    }

    private func unlessRepeatedLocked(_ snapshot: DesiredPods) -> DesiredPods? {
        if let lastWhole, Self.same(lastWhole, snapshot) { return nil }
        lastWhole = snapshot
        return snapshot
    }

    private static func same(_ a: DesiredPods, _ b: DesiredPods) -> Bool {
        a.complete == b.complete && a.pods.count == b.pods.count && a.errors == b.errors
            && zip(a.pods, b.pods).allSatisfy { $0.pod == $1.pod && $0.source == $1.source }
    }

    /// Reads the directory now: every admitted pod and every error, with conflicts between
    /// files settled by ``ManifestLoader/loadDirectory(_:limits:loadFile:currentOwner:)`` (the first file in
    /// name order keeps the pod). Files whose size, mtime and inode did not change are not parsed again.
    /// - Returns: a whole snapshot (``DesiredPods/partialSources`` nil); incomplete when the
    ///   directory is missing or unreadable.
    public func scan() -> DesiredPods {
        lock.lock()
        defer { lock.unlock() }
        return wholeLocked()
    }

    private func wholeLocked() -> DesiredPods {
        needsWhole = true
        guard Self.isDirectory(directory) else {
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
        let old = set.files
        var fresh: [String: FileStamp] = [:]
        let previousStamps = stamps
        let owners = set.owners
        let result = ManifestLoader.loadDirectory(
            directory,
            loadFile: { path in
                let stamp = FileStamp(path: path)
                if let stamp, let c = old[path], previousStamps[path] == stamp {
                    fresh[path] = stamp
                    return c
                }
                if let stamp { fresh[path] = stamp }
                return ManifestLoader.load(file: path)
            }, currentOwner: { owners[$0] })
        set.resolve(result)
        stamps = fresh
        needsWhole = false
        return DesiredPods(pods: set.allPods, errors: set.errors, failedFiles: set.failedFiles, warnings: set.warnings.map(\.description))
    }

    private static func isDirectory(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
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
}

/// The watcher's signals, pulled by one consumer at a time (the snapshot stream's).
private final class SignalIterator: @unchecked Sendable {
    private var iterator: AsyncStream<Void>.AsyncIterator

    init(_ stream: AsyncStream<Void>) { iterator = stream.makeAsyncIterator() }

    /// Waits for the next signal; false when the watcher ended.
    func next() async -> Bool { await iterator.next() != nil }
}

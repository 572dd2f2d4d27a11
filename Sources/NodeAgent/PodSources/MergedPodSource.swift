import PodAPI

/// Several sources as one (kubelet's pod config mux of file and API sources): each snapshot is
/// every source's latest pods together. Until every source has answered once, and while any
/// source's snapshot is incomplete, the merged snapshot is incomplete, so a source that is slow
/// or unreachable never gets its running pods deleted for being absent. Partial snapshots
/// (``DesiredPods/partialSources``) stay partial, and are accumulated until the consumer takes
/// them, so none is lost.
public struct MergedPodSource: PodSource {
    public let sources: [any PodSource]

    public init(_ sources: [any PodSource]) { self.sources = sources }

    public func snapshots() -> AsyncStream<DesiredPods> {
        let sources = self.sources
        let merger = SnapshotMerger(count: sources.count)
        let task = Task {
            await withTaskGroup(of: Void.self) { group in
                for (index, source) in sources.enumerated() {
                    group.addTask {
                        for await snapshot in source.snapshots() { await merger.post(index, snapshot) }
                    }
                }
                await group.waitForAll()
            }
            await merger.finish()
        }
        return AsyncStream(unfolding: { await merger.take() }, onCancel: { task.cancel() })
    }
}

/// The latest pods of each source of a ``MergedPodSource``, file by file, and which files changed
/// since the consumer last took a snapshot.
actor SnapshotMerger {
    /// Per source: its pods by file (``DesiredPods/Entry/source``), in the order it gave them.
    private var files: [[String: [DesiredPods.Entry]]]
    /// Per source: its latest snapshot without pods (errors, warnings, completeness), nil until
    /// it first answered.
    private var latest: [DesiredPods?]
    /// Files changed since the last take; nil: a whole snapshot is due.
    private var dirty: Set<String>?
    private var news = false
    private var finished = false
    private var waiter: CheckedContinuation<Void, Never>?

    init(count: Int) {
        files = Array(repeating: [:], count: count)
        latest = Array(repeating: nil, count: count)
    }

    /// Records source `index`'s snapshot.
    func post(_ index: Int, _ snapshot: DesiredPods) {
        let grouped = Dictionary(grouping: snapshot.pods, by: \.source)
        if let partial = snapshot.partialSources {
            for file in partial { files[index][file] = grouped[file] }
            dirty?.formUnion(partial)
        } else {
            files[index] = grouped
            dirty = nil
        }
        var meta = snapshot
        meta.pods = []
        meta.partialSources = nil
        latest[index] = meta
        news = true
        wake()
    }

    /// No source will post again.
    func finish() {
        finished = true
        wake()
    }

    private func wake() {
        waiter?.resume()
        waiter = nil
    }

    /// Waits for a change, then returns the merged snapshot of everything posted since the last
    /// take: partial when only some files changed, whole otherwise; nil once every source ended.
    func take() async -> DesiredPods? {
        while !news {
            if finished { return nil }
            await withCheckedContinuation { waiter = $0 }
        }
        var merged = DesiredPods(pods: [], complete: true)
        for (index, s) in latest.enumerated() {
            guard let s else {
                merged.complete = false
                continue
            }
            let wanted = dirty.map { d in d.filter { files[index][$0] != nil } } ?? Array(files[index].keys)
            merged.pods += wanted.sorted(by: ManifestSet.nameOrder).flatMap { files[index][$0] ?? [] }
            merged.errors += s.errors
            merged.failedFiles.formUnion(s.failedFiles)
            merged.warnings += s.warnings
            merged.deletionGracePeriods.merge(s.deletionGracePeriods) { a, _ in a }
            if !s.complete { merged.complete = false }
        }
        merged.partialSources = dirty
        dirty = []
        news = false
        return merged
    }
}

import PodAPI

/// Several sources as one (kubelet's pod config mux of file and API sources): each snapshot is
/// every source's latest pods together. Until every source has answered once, and while any
/// source's snapshot is incomplete, the merged snapshot is incomplete, so a source that is slow
/// or unreachable never gets its running pods deleted for being absent.
public struct MergedPodSource: PodSource {
    public let sources: [any PodSource]

    public init(_ sources: [any PodSource]) { self.sources = sources }

    public func snapshots() -> AsyncStream<DesiredPods> {
        let sources = self.sources
        return AsyncStream(bufferingPolicy: .bufferingNewest(1)) { continuation in
            let task = Task {
                let latest = LatestSnapshots(count: sources.count)
                await withTaskGroup(of: Void.self) { group in
                    for (index, source) in sources.enumerated() {
                        group.addTask {
                            for await snapshot in source.snapshots() {
                                continuation.yield(await latest.set(index, snapshot))
                            }
                        }
                    }
                    await group.waitForAll()
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}

/// The latest snapshot of each source of a ``MergedPodSource``.
actor LatestSnapshots {
    private var snapshots: [DesiredPods?]

    init(count: Int) { snapshots = Array(repeating: nil, count: count) }

    /// Records source `index`'s snapshot and returns the merged one.
    func set(_ index: Int, _ snapshot: DesiredPods) -> DesiredPods {
        snapshots[index] = snapshot
        var merged = DesiredPods(pods: [], complete: true)
        for s in snapshots {
            guard let s else {
                merged.complete = false
                continue
            }
            merged.pods += s.pods
            merged.errors += s.errors
            merged.failedFiles.formUnion(s.failedFiles)
            merged.warnings += s.warnings
            if !s.complete { merged.complete = false }
        }
        return merged
    }
}

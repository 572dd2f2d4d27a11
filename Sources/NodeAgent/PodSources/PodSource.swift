import PodAPI

/// Where desired pods come from: a manifest directory, a controller's API. Each element of the
/// stream is the source's whole desired state, or a partial one (``DesiredPods/partialSources``)
/// that changes some of its files only; a source that yields partial snapshots must never drop
/// one (its stream is pulled, not buffered).
public protocol PodSource: Sendable {
    func snapshots() -> AsyncStream<DesiredPods>
}

import PodAPI

/// Where desired pods come from: a manifest directory now, a controller later. Each element of
/// the stream is the source's whole desired state.
public protocol PodSource: Sendable {
    func snapshots() -> AsyncStream<DesiredPods>
}

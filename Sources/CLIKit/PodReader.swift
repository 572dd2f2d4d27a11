import PodAPI

/// Where `inplacectl` reads pods and events: a node's status socket (``StatusClient``) or the
/// fleet's API server (``APIServerClient``).
public protocol PodReader: Sendable {
    /// Every pod, sorted by namespace then name.
    func pods() async throws -> PodList
    func pod(namespace: String, name: String) async throws -> Pod
    /// A pod's in-place updates, oldest first (the API server keeps none: empty).
    func updates(namespace: String, name: String) async throws -> [InPlaceUpdate]
    /// Events, oldest first; only those of `namespace` (and pod `name`) when given.
    func events(namespace: String?, name: String?) async throws -> EventList
}

extension StatusClient: PodReader {}

import CloneSetAPI
import Foundation
import PodAPI

/// What one sync of a CloneSet decides from: the set, the pods and ControllerRevisions it owns,
/// as the informers hold them, and the time. The controller builds it only once its
/// expectations are met (every earlier write has been seen), so nothing here is older than a
/// write this controller made.
public struct SyncInput: Sendable {
    /// The CloneSet as `apps.kruise.io/v1beta1`, with metadata (name, namespace, uid, generation).
    public var set: JSONValue
    public var spec: RolloutSpec
    /// Pods whose controller owner reference is the set (being deleted included).
    public var pods: [JSONValue]
    /// ControllerRevisions the set owns.
    public var revisions: [JSONValue]
    public var now: Date

    public init(set: JSONValue, spec: RolloutSpec, pods: [JSONValue], revisions: [JSONValue], now: Date) {
        self.set = set
        self.spec = spec
        self.pods = pods
        self.revisions = revisions
        self.now = now
    }
}

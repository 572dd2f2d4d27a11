import PodAPI

/// What one sync of a CloneSet does, decided by ``CloneSetSync/decide(_:newID:)`` and carried
/// out by ``CloneSetWriter`` in this order: the revision, creations, deletions, the pods
/// labelled for recreation, in-place steps, gates opened, events, the status.
public struct SyncPlan: Sendable {
    /// A pod the plan acts on: name and uid (the uid is the delete's precondition).
    public struct PodRef: Sendable, Hashable {
        public var name: String
        public var uid: String
        /// The resourceVersion the decision read (a write's precondition where one is taken).
        public var resourceVersion: String
    }

    /// An Event about the CloneSet, as kruise's recorder writes it.
    public struct Event: Sendable, Hashable {
        public var type: String
        public var reason: String
        public var message: String
    }

    /// One write of an in-place update (kruise's `inplace_update.go` steps): close the gate
    /// (status `InPlaceUpdateReady=False`, reason `StartInPlaceUpdate`) when the pod has one and
    /// it is not closed yet, then the strategic merge `patch` of labels, annotations and images,
    /// with the read resourceVersion as precondition.
    public struct InPlaceStep: Sendable, Hashable {
        public var pod: PodRef
        public var closeGate: Bool
        public var patch: JSONValue
        /// The event once the patch is written (kruise records success at the image patch).
        public var event: Event?
    }

    /// The update revision's ControllerRevision, when it does not exist yet.
    public var revisionToCreate: JSONValue?
    /// Old ControllerRevisions beyond `revisionHistoryLimit` no pod uses.
    public var revisionsToDelete: [String] = []
    /// Pods to create (their names are new).
    public var creates: [JSONValue] = []
    /// Pods to delete, with the reason recorded for each.
    public var deletes: [PodRef] = []
    /// Pods to label `apps.kruise.io/specified-delete: true` (recreated for the update).
    public var markForRecreate: [PodRef] = []
    public var inPlace: [InPlaceStep] = []
    /// Pods whose `InPlaceUpdateReady` condition becomes True (a new pod, or an update done).
    public var openGates: [PodRef] = []
    public var events: [Event] = []
    /// The template to write back into the set (automatic rollback after
    /// `ProgressDeadlineExceeded`, see ``Progress``) and the revision it is.
    public var rollback: (revision: String, template: JSONValue)?
    /// The status to write when it differs from the set's.
    public var status: JSONValue = .object([:])
    /// Seconds after which the set must be synced again though nothing changes (a grace period
    /// or minReadySeconds running out); nil: no such wait.
    public var requeueAfterSeconds: Double?

    public init() {}
}

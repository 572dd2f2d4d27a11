import PodAPI

/// The parts of a `DeleteOptions` body (or query) the registry honours.
public struct DeleteOptions: Sendable, Hashable {
    /// Seconds of grace for a pod (`nil`: the pod's `terminationGracePeriodSeconds`, else 30).
    public var gracePeriodSeconds: Int64?
    /// `preconditions.uid`: the delete applies only to the object of this uid.
    public var uid: String?
    /// `preconditions.resourceVersion`.
    public var resourceVersion: String?

    public init(gracePeriodSeconds: Int64? = nil, uid: String? = nil, resourceVersion: String? = nil) {
        self.gracePeriodSeconds = gracePeriodSeconds
        self.uid = uid
        self.resourceVersion = resourceVersion
    }

    /// Reads a `DeleteOptions` object (absent fields stay nil).
    public init(json: JSONValue) {
        gracePeriodSeconds = json.integer("gracePeriodSeconds")
        uid = json["preconditions"]?.string("uid")
        resourceVersion = json["preconditions"]?.string("resourceVersion")
    }
}

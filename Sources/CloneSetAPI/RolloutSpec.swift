import CloneSetStrategy
import PodAPI

/// What a CloneSet asks of its pods, the same whichever API version it was written in:
/// `apps.kruise.io/v1alpha1` (the update strategy flat under `updateStrategy`, its `type` the pod
/// update policy) or `apps.kruise.io/v1beta1` (Kruise 2.0: `updateStrategy.type` RollingUpdate
/// or OnDelete, the rest under `updateStrategy.rollingUpdate`, the policy in `podUpdatePolicy`).
public struct RolloutSpec: Sendable, Hashable {
    /// How a pod whose template changed is updated (kruise's CloneSetUpdateStrategyType).
    public enum PodUpdatePolicy: String, Sendable, Hashable, CaseIterable {
        case reCreate = "ReCreate"
        case inPlaceIfPossible = "InPlaceIfPossible"
        case inPlaceOnly = "InPlaceOnly"
    }

    public var apiVersion: String
    /// `spec.replicas` (default 1).
    public var replicas: Int
    public var podUpdatePolicy: PodUpdatePolicy
    /// v1beta1 `updateStrategy.type: OnDelete` (v1alpha1 since kruise 1.9: `type: OnDelete`):
    /// pods change revision only when deleted.
    public var onDelete: Bool
    public var partition: IntOrPercent?
    /// Defaulted to 20% as kruise's defaulting webhook does.
    public var maxUnavailable: IntOrPercent
    public var maxSurge: IntOrPercent?
    public var paused: Bool
    public var priority: PriorityStrategy?
    public var scatter: [ScatterOrder.Term]
    /// `inPlaceUpdateStrategy.gracePeriodSeconds`, seconds between the gate turning False and
    /// the image patch (0 when unset).
    public var gracePeriodSeconds: Int
    /// `spec.minReadySeconds`, seconds.
    public var minReadySeconds: Int
    /// `spec.scaleStrategy.podsToDelete`.
    public var podsToDelete: [String]

    public init(
        apiVersion: String, replicas: Int, podUpdatePolicy: PodUpdatePolicy, onDelete: Bool, partition: IntOrPercent?,
        maxUnavailable: IntOrPercent, maxSurge: IntOrPercent?, paused: Bool, priority: PriorityStrategy?, scatter: [ScatterOrder.Term],
        gracePeriodSeconds: Int, minReadySeconds: Int, podsToDelete: [String]
    ) {
        self.apiVersion = apiVersion
        self.replicas = replicas
        self.podUpdatePolicy = podUpdatePolicy
        self.onDelete = onDelete
        self.partition = partition
        self.maxUnavailable = maxUnavailable
        self.maxSurge = maxSurge
        self.paused = paused
        self.priority = priority
        self.scatter = scatter
        self.gracePeriodSeconds = gracePeriodSeconds
        self.minReadySeconds = minReadySeconds
        self.podsToDelete = podsToDelete
    }

    /// The input of ``ExpectationDiffs/compute(_:pods:)``.
    public func scaleAndUpdate(revisionsDiffer: Bool) -> ScaleAndUpdateSpec {
        ScaleAndUpdateSpec(
            replicas: replicas, partition: partition, maxUnavailable: maxUnavailable, maxSurge: maxSurge, paused: paused,
            revisionsDiffer: revisionsDiffer)
    }
}

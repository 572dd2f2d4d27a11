/// Names this agent shares with Kubernetes and OpenKruise.
public enum WellKnown {
    /// The `source` of a pod that the API server binds to this node (kubelet's `api` source).
    public static let apiSource = "api"
    /// The pod conditions kubelet writes (its status manager owns them; every other condition
    /// type, such as a readiness gate's, belongs to another writer).
    public static let kubeletConditionTypes: Set<String> = ["PodReadyToStartContainers", "Initialized", "ContainersReady", "Ready"]
    /// The condition the scheduler writes (`PodScheduled`).
    public static let podScheduled = "PodScheduled"
    /// OpenKruise's readiness gate and condition type for in-place updates.
    public static let inPlaceUpdateReady = "InPlaceUpdateReady"
    /// Reason of `InPlaceUpdateReady=False` while an update runs (OpenKruise).
    public static let startInPlaceUpdate = "StartInPlaceUpdate"
    /// OpenKruise's grace annotation is a JSON spec; this agent reads a plain number of seconds
    /// from `inplaced.io/inplace-update-grace-seconds` instead.
    public static let graceSecondsAnnotation = "inplaced.io/inplace-update-grace-seconds"
    /// Per-pod update policy annotation: `InPlaceIfPossible` (default) or `InPlaceOnly`, as
    /// CloneSet's podUpdatePolicy.
    public static let updatePolicyAnnotation = "inplaced.io/pod-update-policy"
    public static let inPlaceIfPossible = "InPlaceIfPossible"
    public static let inPlaceOnly = "InPlaceOnly"
}

import PodAPI
import StateStore

extension Pod {
    /// The pod declares the `InPlaceUpdateReady` readiness gate.
    var hasInPlaceGate: Bool {
        spec.readinessGates?.contains { $0.conditionType == WellKnown.inPlaceUpdateReady } ?? false
    }

    /// Whether this agent opens and closes the pod's `InPlaceUpdateReady` gate itself: for a
    /// manifest pod that declares it (the agent is the whole of OpenKruise on one node). A pod
    /// from the API (`source` ``WellKnown/apiSource``) has its gate set by the rollout controller
    /// through the API: the agent only reads it (bug case B9: one writer per condition).
    func agentOwnsInPlaceGate(source: String) -> Bool {
        hasInPlaceGate && source != WellKnown.apiSource
    }
}

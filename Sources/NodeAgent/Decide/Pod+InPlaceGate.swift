import PodAPI

extension Pod {
    /// The pod declares the `InPlaceUpdateReady` readiness gate.
    var hasInPlaceGate: Bool {
        spec.readinessGates?.contains { $0.conditionType == WellKnown.inPlaceUpdateReady } ?? false
    }
}

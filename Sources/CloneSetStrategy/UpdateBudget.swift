/// The numbers a CloneSet's update strategy stands for, as OpenKruise computes them
/// (`CalculatePartitionReplicas` and the head of `calculateDiffsWithExpectation`).
public enum UpdateBudget {
    /// kruise's default `maxUnavailable`.
    public static let defaultMaxUnavailable = IntOrPercent.percent(20)

    /// The number of pods that stay on old revisions: a count as is, a percentage of `replicas`
    /// rounded up; a percentage other than 100% that comes to every replica (of more than one)
    /// leaves one pod to update; clamped to 0...replicas.
    public static func partition(_ partition: IntOrPercent?, replicas: Int) -> Int {
        guard let partition else { return 0 }
        var value = partition.scaled(total: replicas, roundUp: true)
        if case .percent(let p) = partition, p != 100, replicas > 1, value >= replicas { value = replicas - 1 }
        return min(max(value, 0), replicas)
    }

    /// maxSurge out of `replicas`, rounded up; 0 when the update is paused or none is set.
    public static func maxSurge(_ maxSurge: IntOrPercent?, replicas: Int, paused: Bool) -> Int {
        guard let maxSurge, !paused else { return 0 }
        return max(0, maxSurge.scaled(total: replicas, roundUp: true))
    }

    /// maxUnavailable (default 20%) out of `replicas`: rounded up without surge, down with it
    /// (so that surge and unavailability together never exceed what was asked).
    public static func maxUnavailable(_ maxUnavailable: IntOrPercent?, replicas: Int, maxSurge: Int) -> Int {
        max(0, (maxUnavailable ?? defaultMaxUnavailable).scaled(total: replicas, roundUp: maxSurge == 0))
    }
}

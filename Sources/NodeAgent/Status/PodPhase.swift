import PodAPI

/// The pod phase from its container statuses, by kubelet's `getPhase` rules (kubelet_pods.go).
public enum PodPhase {
    public static let pending = "Pending"
    public static let running = "Running"
    public static let succeeded = "Succeeded"
    public static let failed = "Failed"

    /// - Parameters:
    ///   - spec: the pod's spec (restartPolicy, containers, initContainers).
    ///   - initStatuses: statuses of the init containers (missing = not yet known).
    ///   - statuses: statuses of the regular containers.
    /// - Returns: `Pending`, `Running`, `Succeeded` or `Failed`.
    public static func compute(spec: PodSpec, initStatuses: [ContainerStatus], statuses: [ContainerStatus]) -> String {
        let restartPolicy = spec.restartPolicy ?? "Always"
        var pendingInit = false
        var failedInit = false
        for c in spec.initContainers ?? [] {
            // Restartable (sidecar) init containers count as done once started.
            let sidecar = c.other["restartPolicy"]?.stringValue == "Always"
            guard let s = initStatuses.first(where: { $0.name == c.name }) else {
                pendingInit = true
                continue
            }
            if sidecar {
                if s.started != true { pendingInit = true }
                continue
            }
            if s.state.running != nil {
                pendingInit = true
            } else if let t = s.state.terminated {
                if t.exitCode != 0 { failedInit = true }
            } else if s.state.waiting != nil {
                if let lt = s.lastState.terminated, lt.exitCode != 0 { failedInit = true } else { pendingInit = true }
            } else {
                pendingInit = true
            }
        }

        var unknown = 0
        var runningCount = 0
        var waiting = 0
        var stopped = 0
        var succeededCount = 0
        for c in spec.containers {
            guard let s = statuses.first(where: { $0.name == c.name }) else {
                unknown += 1
                continue
            }
            if s.state.running != nil {
                runningCount += 1
            } else if let t = s.state.terminated {
                stopped += 1
                if t.exitCode == 0 { succeededCount += 1 }
            } else if s.state.waiting != nil {
                if s.lastState.terminated != nil { stopped += 1 } else { waiting += 1 }
            } else {
                unknown += 1
            }
        }

        if failedInit && restartPolicy == "Never" { return failed }
        if pendingInit && runningCount == 0 && stopped == 0 { return pending }
        if waiting > 0 { return pending }
        if runningCount > 0 && unknown == 0 { return running }
        if runningCount == 0 && stopped > 0 && unknown == 0 {
            if restartPolicy == "Always" { return running }
            if stopped == succeededCount { return succeeded }
            if restartPolicy == "Never" { return failed }
            return running
        }
        return pending
    }
}

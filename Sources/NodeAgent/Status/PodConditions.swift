import PodAPI

/// Kubelet's pod conditions (pkg/kubelet/status/generate.go), each returned without
/// `lastTransitionTime`; ``ConditionTimes`` stamps the times.
public enum PodConditions {
    public static let podScheduled = "PodScheduled"
    public static let podReadyToStartContainers = "PodReadyToStartContainers"
    public static let initialized = "Initialized"
    public static let containersReady = "ContainersReady"
    public static let ready = "Ready"

    /// `ContainersReady`: every regular container (and restartable init container) has a ready status.
    public static func containersReady(spec: PodSpec, statuses: [ContainerStatus]?, initStatuses: [ContainerStatus]?, phase: String)
        -> PodCondition
    {
        guard let statuses else {
            return PodCondition(type: containersReady, status: "False", reason: "UnknownContainerStatuses")
        }
        var unknown: [String] = []
        var unready: [String] = []
        for c in (spec.initContainers ?? []) where c.other["restartPolicy"]?.stringValue == "Always" {
            guard let s = initStatuses?.first(where: { $0.name == c.name }) else {
                unknown.append(c.name)
                continue
            }
            if !s.ready { unready.append(c.name) }
        }
        for c in spec.containers {
            guard let s = statuses.first(where: { $0.name == c.name }) else {
                unknown.append(c.name)
                continue
            }
            if !s.ready { unready.append(c.name) }
        }
        if phase == PodPhase.succeeded && unknown.isEmpty {
            return PodCondition(type: containersReady, status: "False", reason: "PodCompleted")
        }
        if phase == PodPhase.failed {
            return PodCondition(type: containersReady, status: "False", reason: "PodFailed")
        }
        let message = notReadyMessage(unknown: unknown, unready: unready, unreadyWord: "unready")
        if !message.isEmpty {
            return PodCondition(type: containersReady, status: "False", reason: "ContainersNotReady", message: message)
        }
        return PodCondition(type: containersReady, status: "True")
    }

    /// `Ready`: ContainersReady, then every readiness gate's condition True.
    ///
    /// Messages as kubelet writes them: `corresponding condition of pod readiness gate "T" does
    /// not exist.` and `the status of pod readiness gate "T" is not "True", but False`, joined by
    /// `, ` under reason `ReadinessGatesNotReady`.
    public static func ready(spec: PodSpec, containersReady cr: PodCondition, conditions: [PodCondition]) -> PodCondition {
        if cr.status != "True" {
            return PodCondition(type: ready, status: cr.status, reason: cr.reason, message: cr.message)
        }
        var messages: [String] = []
        for gate in spec.readinessGates ?? [] {
            guard let c = conditions.first(where: { $0.type == gate.conditionType }) else {
                messages.append("corresponding condition of pod readiness gate \"\(gate.conditionType)\" does not exist.")
                continue
            }
            if c.status != "True" {
                messages.append("the status of pod readiness gate \"\(gate.conditionType)\" is not \"True\", but \(c.status)")
            }
        }
        if !messages.isEmpty {
            return PodCondition(type: ready, status: "False", reason: "ReadinessGatesNotReady", message: messages.joined(separator: ", "))
        }
        return PodCondition(type: ready, status: "True")
    }

    /// `Initialized`: every init container done (regular: exited 0; sidecar: started), or any
    /// regular container already started.
    public static func initialized(spec: PodSpec, initStatuses: [ContainerStatus]?, statuses: [ContainerStatus]?, phase: String)
        -> PodCondition
    {
        let inits = spec.initContainers ?? []
        if inits.isEmpty { return PodCondition(type: initialized, status: "True") }
        guard let initStatuses else {
            return PodCondition(type: initialized, status: "False", reason: "UnknownContainerStatuses")
        }
        var unknown: [String] = []
        var incomplete: [String] = []
        for c in inits {
            guard let s = initStatuses.first(where: { $0.name == c.name }) else {
                unknown.append(c.name)
                continue
            }
            let sidecar = c.other["restartPolicy"]?.stringValue == "Always"
            let done = sidecar ? (s.started == true) : (s.state.terminated?.exitCode == 0)
            if !done { incomplete.append(c.name) }
        }
        if phase == PodPhase.succeeded && unknown.isEmpty {
            return PodCondition(type: initialized, status: "True", reason: "PodCompleted")
        }
        if let statuses,
            statuses.contains(where: { $0.state.running != nil || $0.state.terminated != nil || $0.lastState.terminated != nil })
        {
            return PodCondition(type: initialized, status: "True")
        }
        let message = notReadyMessage(unknown: unknown, unready: incomplete, unreadyWord: "incomplete")
        if !message.isEmpty {
            return PodCondition(type: initialized, status: "False", reason: "ContainersNotInitialized", message: message)
        }
        return PodCondition(type: initialized, status: "True")
    }

    private static func notReadyMessage(unknown: [String], unready: [String], unreadyWord: String) -> String {
        var parts: [String] = []
        if !unknown.isEmpty { parts.append("containers with unknown status: [\(unknown.joined(separator: " "))]") }
        if !unready.isEmpty { parts.append("containers with \(unreadyWord) status: [\(unready.joined(separator: " "))]") }
        return parts.joined(separator: ", ")
    }
}

import Foundation
import PodAPI
import StateStore

/// Generates a pod's PodStatus from what the store holds, as kubelet's generateAPIPodStatus does:
/// phase by ``PodPhase``, kubelet's conditions by ``PodConditions``, conditions the agent owns
/// for OpenKruise (InPlaceUpdateReady) copied through, each condition's lastTransitionTime kept
/// until its status changes.
public enum StatusBuilder {
    /// Why the agent failed a pod on its own (activeDeadlineSeconds).
    public static let deadlineExceededReason = "DeadlineExceeded"
    public static let deadlineExceededMessage = "Pod was active on the node longer than the specified deadline"

    /// Everything the status of one pod is made from.
    public struct Input: Sendable {
        public var pod: Pod
        public var record: PodRecord
        public var containers: [ContainerRecord]
        public var conditions: [ConditionRecord]
        public var podIP: String?
        public var hostIP: String?
        public var now: Date
        /// Prefix of container IDs in status (`<runtimeName>://<id>`).
        public var runtimeName: String
        /// The pod's sandbox exists and is ready (kubelet's PodReadyToStartContainers).
        public var sandboxReady: Bool = false
        /// What the probes make of each regular container's `started` and `ready`, by name; a
        /// container not named here is started and ready while it runs (no probes).
        public var probes: [String: ContainerProbeStatus] = [:]
        public init(
            pod: Pod, record: PodRecord, containers: [ContainerRecord], conditions: [ConditionRecord],
            podIP: String?, hostIP: String?, now: Date, runtimeName: String
        ) {
            self.runtimeName = runtimeName
            self.pod = pod
            self.record = record
            self.containers = containers
            self.conditions = conditions
            self.podIP = podIP
            self.hostIP = hostIP
            self.now = now
        }
    }

    /// The status, and the condition records whose status changed (to persist with new times).
    public static func build(_ input: Input) -> (status: PodStatus, changedConditions: [ConditionRecord]) {
        let spec = input.pod.spec
        let byName = Dictionary(input.containers.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let hasInit = !(spec.initContainers ?? []).isEmpty
        let initStatuses = (spec.initContainers ?? []).map {
            containerStatus($0, record: byName[$0.name], defaultWaiting: "PodInitializing", runtimeName: input.runtimeName)
        }
        let statuses = spec.containers.map {
            containerStatus(
                $0, record: byName[$0.name], defaultWaiting: hasInit ? "PodInitializing" : "ContainerCreating",
                runtimeName: input.runtimeName, probe: input.probes[$0.name])
        }

        var phase = PodPhase.compute(spec: spec, initStatuses: initStatuses, statuses: statuses)
        var reason: String?
        var message: String?
        if let terminal = input.record.terminalPhase {
            phase = terminal
            reason = input.record.terminalReason
            message = input.record.terminalMessage
        }

        let containersReady = PodConditions.containersReady(spec: spec, statuses: statuses, initStatuses: initStatuses, phase: phase)
        let initialized = PodConditions.initialized(spec: spec, initStatuses: initStatuses, statuses: statuses, phase: phase)
        let owned = input.conditions.filter { !kubeletOwned.contains($0.type) }
            .map { PodCondition(type: $0.type, status: $0.status, reason: $0.reason, message: $0.message) }
        // A pod from the API may hold conditions other writers set (a rollout controller's
        // readiness gate): Ready counts them too, as kubelet computes Ready from the API's pod.
        let external = (input.pod.status?.conditions ?? []).filter { c in
            !kubeletOwned.contains(c.type) && !owned.contains { $0.type == c.type }
        }
        let ready = PodConditions.ready(spec: spec, containersReady: containersReady, conditions: owned + external)
        let scheduled = PodCondition(type: PodConditions.podScheduled, status: "True")
        let sandbox = PodCondition(type: PodConditions.podReadyToStartContainers, status: input.sandboxReady ? "True" : "False")

        // kubelet's order: PodReadyToStartContainers, Initialized, Ready, ContainersReady, PodScheduled.
        // Built at its final size: `+` on the literal doubled its capacity, and the cached status
        // of every pod kept that spare room (about 0.5 MB at 1,000 pods).
        var computed: [PodCondition] = []
        computed.reserveCapacity(5 + owned.count)
        computed += [sandbox, initialized, ready, containersReady, scheduled]
        computed += owned
        var changed: [ConditionRecord] = []
        let previous = Dictionary(input.conditions.map { ($0.type, $0) }, uniquingKeysWith: { a, _ in a })
        for i in computed.indices {
            let c = computed[i]
            if let p = previous[c.type], p.status == c.status {
                computed[i].lastTransitionTime = Time(p.lastTransitionTime)
                if kubeletOwned.contains(c.type) && (p.reason != c.reason || p.message != c.message) {
                    changed.append(
                        ConditionRecord(
                            podUID: input.record.uid, type: c.type, status: c.status, reason: c.reason,
                            message: c.message, lastTransitionTime: p.lastTransitionTime))
                }
            } else {
                computed[i].lastTransitionTime = Time(input.now)
                changed.append(
                    ConditionRecord(
                        podUID: input.record.uid, type: c.type, status: c.status, reason: c.reason,
                        message: c.message, lastTransitionTime: input.now))
            }
        }

        var status = PodStatus(phase: phase)
        status.conditions = computed
        status.reason = reason
        status.message = message
        if let host = input.hostIP, !host.isEmpty {
            status.hostIP = host
            status.hostIPs = [HostIP(ip: host)]
        }
        if let ip = input.podIP, !ip.isEmpty {
            status.podIP = ip
            status.podIPs = [PodIP(ip: ip)]
        }
        status.startTime = input.record.startTime.map(Time.init)
        status.initContainerStatuses = hasInit ? initStatuses : nil
        status.containerStatuses = statuses
        status.qosClass = qosClass(spec)
        return (status, changed)
    }

    static let kubeletOwned: Set<String> = [
        PodConditions.podReadyToStartContainers, PodConditions.podScheduled, PodConditions.initialized, PodConditions.containersReady,
        PodConditions.ready,
    ]

    /// A container's status from its record; without a record, `waiting` with `defaultWaiting`.
    /// `ready` and `started` need the container running, and `probe`'s say when given (kubelet's
    /// prober manager UpdatePodStatus): started once the startup probe passed, ready once also
    /// the readiness probe passed.
    public static func containerStatus(
        _ c: Container, record: ContainerRecord?, defaultWaiting: String, runtimeName: String,
        probe: ContainerProbeStatus? = nil
    ) -> ContainerStatus {
        guard let r = record else {
            return ContainerStatus(
                name: c.name, state: ContainerState(waiting: ContainerStateWaiting(reason: defaultWaiting)),
                ready: false, restartCount: 0, image: c.image ?? "", imageID: "", started: false)
        }
        let state = containerState(r.lifecycle)
        let last = r.lastTermination.map { ContainerState(terminated: terminated($0)) } ?? ContainerState()
        let running = state.running != nil
        return ContainerStatus(
            name: c.name, state: state.isEmpty ? ContainerState(waiting: ContainerStateWaiting(reason: defaultWaiting)) : state,
            lastState: last, ready: running && (probe?.ready ?? true), restartCount: Int32(clamping: r.restartCount),
            image: r.image.isEmpty ? (c.image ?? "") : r.image, imageID: r.imageID,
            containerID: r.containerID.map { "\(runtimeName)://\($0)" } ?? state.terminated?.containerID,
            started: running && (probe?.started ?? true))
    }

    /// A recorded lifecycle as core/v1 ContainerState: the agent's own steps (``ContainerLifecycle/creating``,
    /// ``ContainerLifecycle/created``) show as kubelet shows a container being made, waiting
    /// `ContainerCreating`; nothing recorded is the empty state (the caller's default wait).
    /// Times are whole seconds, as the API serializes them.
    static func containerState(_ lifecycle: ContainerLifecycle) -> ContainerState {
        switch lifecycle {
        case .creating, .created:
            return ContainerState(waiting: ContainerStateWaiting(reason: "ContainerCreating"))
        case .running(let startedAt):
            return ContainerState(running: ContainerStateRunning(startedAt: startedAt.map(apiTime)))
        case .exited(let t):
            return ContainerState(terminated: terminated(t))
        case .waiting(let reason, let message):
            return ContainerState(waiting: ContainerStateWaiting(reason: reason, message: message))
        case .unknown:
            return ContainerState()
        }
    }

    /// A termination as core/v1 ContainerStateTerminated.
    static func terminated(_ t: ContainerTermination) -> ContainerStateTerminated {
        ContainerStateTerminated(
            exitCode: t.exitCode, signal: t.signal, reason: t.reason, message: t.message,
            startedAt: t.startedAt.map(apiTime), finishedAt: t.finishedAt.map(apiTime), containerID: t.containerID)
    }

    /// `date` to the whole second below, as metav1.Time keeps it.
    static func apiTime(_ date: Date) -> Time {
        Time(Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down)))
    }

    /// QoS class as the API server derives it: Guaranteed when every container has equal cpu and
    /// memory requests and limits, BestEffort when none has any, else Burstable.
    static func qosClass(_ spec: PodSpec) -> String {
        let all = spec.containers + (spec.initContainers ?? [])
        var anyResources = false
        var guaranteed = true
        for c in all {
            let limits = c.other["resources"]?["limits"]?.objectValue ?? [:]
            let requests = c.other["resources"]?["requests"]?.objectValue ?? [:]
            if !limits.isEmpty || !requests.isEmpty { anyResources = true }
            for r in ["cpu", "memory"] {
                guard let l = limits[r] else {
                    guaranteed = false
                    continue
                }
                if let q = requests[r], q != l { guaranteed = false }
            }
        }
        if !anyResources { return "BestEffort" }
        return guaranteed ? "Guaranteed" : "Burstable"
    }
}

import Foundation
import PodAPI

/// Pods, events and updates at fixed instants around `Fixtures.now`.
public enum Fixtures {
    /// 2027-01-15T08:00:00Z.
    public static let now = Date(timeIntervalSince1970: 1_800_000_000)

    /// `now` minus `seconds`.
    public static func ago(_ seconds: TimeInterval) -> Time { Time(now.addingTimeInterval(-seconds)) }

    public static let nginxDigestOld = "docker.io/library/nginx@sha256:1111111111111111aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    public static let nginxDigestNew = "docker.io/library/nginx@sha256:2222222222222222bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"

    public static func running(
        _ name: String, image: String = "nginx:1.25", ready: Bool = true, restarts: Int32 = 0,
        startedAgo: TimeInterval = 300, lastFinishedAgo: TimeInterval? = nil
    ) -> ContainerStatus {
        var s = ContainerStatus(
            name: name, state: ContainerState(running: ContainerStateRunning(startedAt: ago(startedAgo))),
            ready: ready, restartCount: restarts, image: image, imageID: nginxDigestOld,
            containerID: "mock://\(name)-0123456789abcdef", started: true)
        if let lastFinishedAgo {
            s.lastState = ContainerState(
                terminated: ContainerStateTerminated(
                    exitCode: 0, reason: "Completed", startedAt: ago(lastFinishedAgo + 600), finishedAt: ago(lastFinishedAgo),
                    containerID: "mock://\(name)-old"))
        }
        return s
    }

    public static func waiting(_ name: String, reason: String, image: String = "nginx:1.25", restarts: Int32 = 0) -> ContainerStatus {
        ContainerStatus(
            name: name, state: ContainerState(waiting: ContainerStateWaiting(reason: reason)),
            ready: false, restartCount: restarts, image: image, imageID: "", started: false)
    }

    public static func conditions(ready: Bool, gate: Bool? = nil) -> [PodCondition] {
        var list = [
            PodCondition(type: "PodScheduled", status: "True", lastTransitionTime: ago(3600)),
            PodCondition(type: "Initialized", status: "True", lastTransitionTime: ago(3600)),
            PodCondition(type: "ContainersReady", status: ready ? "True" : "False", lastTransitionTime: ago(3600)),
            PodCondition(type: "Ready", status: ready ? "True" : "False", lastTransitionTime: ago(3600)),
        ]
        if let gate {
            list.append(
                PodCondition(
                    type: WellKnown.inPlaceUpdateReady, status: gate ? "True" : "False",
                    lastTransitionTime: ago(60), reason: gate ? nil : WellKnown.startInPlaceUpdate))
        }
        return list
    }

    /// A pod with one container per status given, created `age` seconds before `now`.
    public static func pod(
        _ name: String, namespace: String = "default", age: TimeInterval = 3600,
        statuses: [ContainerStatus], phase: String = "Running", conditions: [PodCondition]? = nil,
        readinessGates: [String] = [], labels: [String: String]? = nil
    ) -> Pod {
        let containers = statuses.map { Container(name: $0.name, image: $0.image) }
        var spec = PodSpec(
            containers: containers, restartPolicy: "Always",
            readinessGates: readinessGates.isEmpty ? nil : readinessGates.map(PodReadinessGate.init))
        spec.nodeName = "node-1"
        var meta = ObjectMeta(name: name, namespace: namespace, uid: "uid-\(name)", labels: labels)
        meta.creationTimestamp = ago(age)
        var status = PodStatus(phase: phase)
        status.containerStatuses = statuses
        status.conditions = conditions ?? Fixtures.conditions(ready: statuses.allSatisfy(\.ready))
        status.hostIP = "10.0.0.5"
        status.podIP = "10.0.0.5"
        status.podIPs = [PodIP(ip: "10.0.0.5")]
        status.startTime = ago(age)
        status.qosClass = "BestEffort"
        return Pod(metadata: meta, spec: spec, status: status)
    }

    public static func event(
        _ reason: String, pod: String, namespace: String = "default", type: String = "Normal",
        message: String, count: Int32 = 1, firstAgo: TimeInterval, lastAgo: TimeInterval? = nil,
        fieldPath: String? = nil
    ) -> Event {
        Event(
            metadata: ObjectMeta(name: "\(pod).\(reason.lowercased())", namespace: namespace),
            involvedObject: ObjectReference(namespace: namespace, name: pod, uid: "uid-\(pod)", fieldPath: fieldPath),
            reason: reason, message: message, type: type, count: count,
            firstTimestamp: ago(firstAgo), lastTimestamp: ago(lastAgo ?? firstAgo),
            source: EventSource(component: "inplaced", host: "node-1"))
    }

    public static func completedUpdate(container: String = "app") -> InPlaceUpdate {
        InPlaceUpdate(
            id: 1, container: container, fromImage: "nginx:1.25", toImage: "nginx:1.26",
            oldContainerID: "mock://old", newContainerID: "mock://new",
            oldImageID: nginxDigestOld, newImageID: nginxDigestNew, step: .completed,
            startedAt: ago(300), finishedAt: ago(240),
            history: [.init(step: .detected, time: ago(300)), .init(step: .completed, time: ago(240))])
    }

    public static func health(status: String = "ok", errors: [ManifestError] = []) -> AgentHealth {
        AgentHealth(
            status: status, nodeName: "node-1", runtimeName: "mock", runtimeVersion: "0.1.0",
            version: "0.1.0", pods: 1, secondsSinceRelist: 1.5, manifestErrors: errors)
    }
}

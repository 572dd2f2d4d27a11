import Foundation
import PodAPI

/// The READY, STATUS, RESTARTS and READINESS GATES cells of a pod, by kubectl's `printPod`.
public struct PodSummary: Sendable, Equatable {
    /// `ready/total` containers, e.g. `1/2`.
    public var ready: String
    /// The phase, or `status.reason`, or a container's waiting/terminated reason, `Init:x/y`,
    /// `Init:<reason>`, `NotReady`, `Terminating`...
    public var status: String
    /// The sum of restart counts, with ` (5m ago)` for the last restart when there was one.
    public var restarts: String
    /// `true/total` readiness gates, or `<none>`.
    public var readinessGates: String

    public init(_ pod: Pod, now: Date) {
        let status = pod.status ?? PodStatus()
        let conditions = status.conditions ?? []
        let initSpecs = pod.spec.initContainers ?? []
        var restarts = 0
        var restartableInitRestarts = 0
        var totalContainers = pod.spec.containers.count
        var readyContainers = 0
        var lastRestart: Date?
        var lastRestartableInitRestart: Date?

        let phase = status.phase ?? ""
        var reason = phase
        if let r = status.reason, !r.isEmpty { reason = r }
        for c in conditions where c.type == "PodScheduled" && c.reason == "SchedulingGated" {
            reason = "SchedulingGated"
        }

        var restartable = Set<String>()
        for c in initSpecs where c.other["restartPolicy"]?.stringValue == "Always" {
            restartable.insert(c.name)
            totalContainers += 1
        }

        func later(_ a: Date?, _ b: Time?) -> Date? {
            guard let b = b?.date else { return a }
            guard let a else { return b }
            return max(a, b)
        }

        var initializing = false
        for (i, container) in (status.initContainerStatuses ?? []).enumerated() {
            restarts += Int(container.restartCount)
            lastRestart = later(lastRestart, container.lastState.terminated?.finishedAt)
            let isRestartable = restartable.contains(container.name)
            if isRestartable {
                restartableInitRestarts += Int(container.restartCount)
                lastRestartableInitRestart = later(lastRestartableInitRestart, container.lastState.terminated?.finishedAt)
            }
            if let t = container.state.terminated, t.exitCode == 0 {
                continue
            }
            if isRestartable && container.started == true {
                if container.ready { readyContainers += 1 }
                continue
            }
            if let t = container.state.terminated {
                if let r = t.reason, !r.isEmpty {
                    reason = "Init:" + r
                } else if let signal = t.signal, signal != 0 {
                    reason = "Init:Signal:\(signal)"
                } else {
                    reason = "Init:ExitCode:\(t.exitCode)"
                }
            } else if let w = container.state.waiting, let r = w.reason, !r.isEmpty, r != "PodInitializing" {
                reason = "Init:" + r
            } else {
                reason = "Init:\(i)/\(initSpecs.count)"
            }
            initializing = true
            break
        }

        let initialized = conditions.contains { $0.type == "Initialized" && $0.status == "True" }
        if !initializing || initialized {
            restarts = restartableInitRestarts
            lastRestart = lastRestartableInitRestart
            var hasRunning = false
            for container in (status.containerStatuses ?? []).reversed() {
                restarts += Int(container.restartCount)
                lastRestart = later(lastRestart, container.lastState.terminated?.finishedAt)
                if let w = container.state.waiting, let r = w.reason, !r.isEmpty {
                    reason = r
                } else if let t = container.state.terminated, let r = t.reason, !r.isEmpty {
                    reason = r
                } else if let t = container.state.terminated {
                    if let signal = t.signal, signal != 0 {
                        reason = "Signal:\(signal)"
                    } else {
                        reason = "ExitCode:\(t.exitCode)"
                    }
                } else if container.ready && container.state.running != nil {
                    hasRunning = true
                    readyContainers += 1
                }
            }
            if reason == "Completed" && hasRunning {
                let podReady = conditions.contains { $0.type == "Ready" && $0.status == "True" }
                reason = podReady ? "Running" : "NotReady"
            }
        }

        if pod.metadata.deletionTimestamp != nil && status.reason == "NodeLost" {
            reason = "Unknown"
        } else if pod.metadata.deletionTimestamp != nil && phase != "Succeeded" && phase != "Failed" {
            reason = "Terminating"
        }

        var restartsText = String(restarts)
        if restarts != 0, let last = lastRestart {
            restartsText += " (\(HumanDuration.string(now.timeIntervalSince(last))) ago)"
        }

        var gates = "<none>"
        if let readinessGates = pod.spec.readinessGates, !readinessGates.isEmpty {
            var trueCount = 0
            for gate in readinessGates {
                if let c = conditions.first(where: { $0.type == gate.conditionType }), c.status == "True" {
                    trueCount += 1
                }
            }
            gates = "\(trueCount)/\(readinessGates.count)"
        }

        self.ready = "\(readyContainers)/\(totalContainers)"
        self.status = reason
        self.restarts = restartsText
        self.readinessGates = gates
    }
}

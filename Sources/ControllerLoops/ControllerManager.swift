import APIRegistry
import Foundation
import KubeAPI
import KubeClient
import Logging
import PodAPI

/// The control loops the leader runs (kube-controller-manager's and kube-scheduler's share of
/// this issue): the scheduler binds pending pods (``Placement``), the node lifecycle controller
/// marks silent nodes Unknown and their pods not Ready (``NodeHealth``). Both read informer
/// caches and write through the registry with compare-and-swap, so a second leader, or a retry
/// after a crash, never binds a pod twice (a bound pod's binding is a 409).
public struct ControllerManager: Sendable {
    public let registry: ObjectRegistry
    public let logger: Logger
    /// Seconds a node may stay silent before it is marked Unknown (node-monitor-grace-period).
    public let nodeGracePeriod: TimeInterval
    /// Seconds between node health passes (node-monitor-period).
    public let nodeMonitorPeriod: TimeInterval

    public init(registry: ObjectRegistry, logger: Logger, nodeGracePeriod: TimeInterval = 40, nodeMonitorPeriod: TimeInterval = 5) {
        self.registry = registry
        self.logger = logger
        self.nodeGracePeriod = nodeGracePeriod
        self.nodeMonitorPeriod = nodeMonitorPeriod
    }

    /// Runs every loop until cancelled.
    public func run() async {
        let scheduling = Wakeup()
        let pods = Informer(registry: registry, resource: .pods, logger: logger, wakeups: [scheduling])
        let nodes = Informer(registry: registry, resource: .nodes, logger: logger, wakeups: [scheduling])
        let leases = Informer(registry: registry, resource: .leases, logger: logger)
        let endpointsWakeup = Wakeup()
        let endpointPods = Informer(registry: registry, resource: .pods, logger: logger, wakeups: [endpointsWakeup])
        let services = Informer(registry: registry, resource: .services, logger: logger, wakeups: [endpointsWakeup])
        let endpoints = Informer(registry: registry, resource: .endpoints, logger: logger)
        let started = Date()
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await pods.run() }
            group.addTask { await nodes.run() }
            group.addTask { await leases.run() }
            group.addTask { await schedule(pods: pods, nodes: nodes, wakeup: scheduling) }
            group.addTask { await monitorNodes(pods: pods, nodes: nodes, leases: leases, started: started) }
            group.addTask { await endpointPods.run() }
            group.addTask { await services.run() }
            group.addTask { await endpoints.run() }
            group.addTask {
                await syncEndpoints(pods: endpointPods, services: services, endpoints: endpoints, wakeup: endpointsWakeup)
            }
            await group.waitForAll()
        }
    }

    func schedule(pods: Informer, nodes: Informer, wakeup: Wakeup) async {
        var reported: [String: String] = [:]
        while !Task.isCancelled {
            if pods.hasSynced, nodes.hasSynced {
                let (bindings, unschedulable) = Placement.decide(pods: pods.objects(), nodes: nodes.objects())
                for binding in bindings {
                    do {
                        _ = try await registry.bind(namespace: binding.namespace, name: binding.name, node: binding.node)
                        await event(
                            for: binding, reason: "Scheduled", type: "Normal",
                            message: "Successfully assigned \(binding.namespace)/\(binding.name) to \(binding.node)")
                        logger.info(
                            "scheduler: bound", metadata: ["pod": "\(binding.namespace)/\(binding.name)", "node": "\(binding.node)"])
                    } catch {
                        logger.info(
                            "scheduler: binding failed", metadata: ["pod": "\(binding.namespace)/\(binding.name)", "error": "\(error)"])
                    }
                }
                for pod in unschedulable where reported["\(pod.namespace)/\(pod.name)"] != pod.message {
                    reported["\(pod.namespace)/\(pod.name)"] = pod.message
                    await markUnschedulable(pod)
                }
            }
            // Woken by any pod or node change; at least every 5 s.
            await wakeup.wait(timeout: .seconds(5))
        }
    }

    /// The endpoints controller: each Service's Endpoints rebuilt (``EndpointsBuilder``) on every
    /// pod or service change and written when they differ.
    func syncEndpoints(pods: Informer, services: Informer, endpoints: Informer, wakeup: Wakeup) async {
        while !Task.isCancelled {
            await wakeup.wait(timeout: .seconds(10))
            guard pods.hasSynced, services.hasSynced, endpoints.hasSynced else { continue }
            let allPods = pods.objects()
            for service in services.objects() {
                guard let want = EndpointsBuilder.endpoints(service: service, pods: allPods) else { continue }
                let ns = service["metadata"]?.string("namespace") ?? "default"
                let name = service["metadata"]?.string("name") ?? ""
                let have = endpoints.object("\(ns)/\(name)")
                guard have?["subsets"] != want["subsets"] || have == nil else { continue }
                do {
                    if have == nil {
                        _ = try await registry.create(.endpoints, namespace: ns, want)
                    } else {
                        _ = try await registry.guaranteedUpdate(.endpoints, namespace: ns, name: name) { current in
                            current.with("subsets", want["subsets"])
                        }
                    }
                } catch {
                    logger.info("endpoints: not written", metadata: ["service": "\(ns)/\(name)", "error": "\(error)"])
                    try? await Task.sleep(for: .milliseconds(200))
                    wakeup.notify()
                }
            }
            // The Endpoints of a deleted Service go with it.
            let names = Set(services.objects().map { Informer.key($0) })
            for object in endpoints.objects() where !names.contains(Informer.key(object)) {
                let ns = object["metadata"]?.string("namespace") ?? "default"
                _ = try? await registry.delete(
                    .endpoints, namespace: ns, name: object["metadata"]?.string("name") ?? "", options: DeleteOptions())
            }
        }
    }

    func markUnschedulable(_ pod: Placement.Unschedulable) async {
        let at = JSONValue.string(Time(Date()).description)
        let patch: JSONValue = [
            "status": [
                "conditions": [
                    [
                        "type": "PodScheduled", "status": "False", "reason": "Unschedulable", "message": .string(pod.message),
                        "lastProbeTime": .null, "lastTransitionTime": at,
                    ]
                ]
            ]
        ]
        do {
            _ = try await registry.patch(
                .pods, namespace: pod.namespace, name: pod.name, subresource: "status", type: .strategicMerge, patch)
            logger.info("scheduler: unschedulable", metadata: ["pod": "\(pod.namespace)/\(pod.name)", "message": "\(pod.message)"])
        } catch {
            logger.debug("scheduler: cannot mark unschedulable", metadata: ["pod": "\(pod.namespace)/\(pod.name)", "error": "\(error)"])
        }
    }

    func monitorNodes(pods: Informer, nodes: Informer, leases: Informer, started: Date) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(nodeMonitorPeriod))
            guard nodes.hasSynced, leases.hasSynced else { continue }
            let now = Date()
            for node in nodes.objects() {
                let name = node["metadata"]?.string("name") ?? ""
                let lease = leases.object("kube-node-lease/\(name)")
                switch NodeHealth.decide(node: node, lease: lease, now: now, watchingSince: started, gracePeriod: nodeGracePeriod) {
                case .none: continue
                case .markUnknown:
                    do {
                        _ = try await registry.guaranteedUpdate(.nodes, namespace: nil, name: name) { current in
                            NodeHealth.markedUnknown(current, now: now)
                        }
                        logger.warning("node lifecycle: node stopped posting status", metadata: ["node": "\(name)"])
                    } catch {
                        logger.info("node lifecycle: cannot mark node", metadata: ["node": "\(name)", "error": "\(error)"])
                        continue
                    }
                    for pod in pods.objects() where pod["spec"]?.string("nodeName") == name {
                        let ns = pod["metadata"]?.string("namespace") ?? "default"
                        let podName = pod["metadata"]?.string("name") ?? ""
                        _ = try? await registry.guaranteedUpdate(.pods, namespace: ns, name: podName) { current in
                            NodeHealth.podNotReady(current, now: now) ?? current
                        }
                    }
                case .clearUnreachable:
                    _ = try? await registry.guaranteedUpdate(.nodes, namespace: nil, name: name) { current in NodeHealth.cleared(current) }
                    logger.info("node lifecycle: node is posting status again", metadata: ["node": "\(name)"])
                }
            }
        }
    }

    /// Records an Event about a pod (best effort, as the scheduler's event recorder).
    func event(for binding: Placement.Binding, reason: String, type: String, message: String) async {
        let now = JSONValue.string(Time(Date()).description)
        let object: JSONValue = [
            "metadata": [
                "name": .string("\(binding.name).\(UInt64.random(in: 0...UInt64.max) & 0xffff_ffff_ffff)"),
                "namespace": .string(binding.namespace),
            ],
            "involvedObject": [
                "kind": "Pod", "namespace": .string(binding.namespace), "name": .string(binding.name), "uid": .string(binding.uid),
                "apiVersion": "v1",
            ],
            "reason": .string(reason), "message": .string(message), "type": .string(type),
            "source": ["component": "default-scheduler"], "reportingComponent": "default-scheduler",
            "firstTimestamp": now, "lastTimestamp": now, "count": 1,
        ]
        _ = try? await registry.create(.events, namespace: binding.namespace, object)
    }
}

import Foundation
import PodAPI

/// The commands of `inplacectl`, over a ``PodReader`` (a node's socket or the API server);
/// `main.swift` only parses arguments
/// and prints what these return. Every method throws ``StatusClientError`` (its description is
/// the message for stderr) or an encoding error for `-o json|yaml`.
public struct Commands: Sendable {
    /// Where pods and events are read.
    public var client: any PodReader
    /// The instant ages are measured to.
    public var now: @Sendable () -> Date

    public init(client: any PodReader, now: @escaping @Sendable () -> Date = { Date() }) {
        self.client = client
        self.now = now
    }

    /// `get pods [-n NS | -A] [-o wide|json|yaml|name]`.
    public func getPods(namespace: String, allNamespaces: Bool, output: OutputFormat?) async throws -> CommandOutput {
        var pods = try await client.pods().items
        if !allNamespaces { pods = pods.filter { ($0.metadata.namespace ?? "default") == namespace } }
        switch output {
        case .json: return CommandOutput(stdout: try ObjectPrinter.json(KubeList(items: pods)))
        case .yaml: return CommandOutput(stdout: try ObjectPrinter.yaml(KubeList(items: pods)))
        case .name: return CommandOutput(stdout: pods.map { "pod/\($0.metadata.name ?? "")\n" }.joined())
        case .wide, nil:
            if pods.isEmpty {
                return CommandOutput(
                    stdout: "",
                    stderr: allNamespaces
                        ? "No resources found\n" : "No resources found in \(namespace) namespace.\n")
            }
            let printer = PodTablePrinter(wide: output == .wide, withNamespace: allNamespaces, now: now())
            return CommandOutput(stdout: printer.print(pods))
        }
    }

    /// `get pod NAME [-n NS] [-o wide|json|yaml|name]`.
    public func getPod(name: String, namespace: String, output: OutputFormat?) async throws -> CommandOutput {
        let pod = try await client.pod(namespace: namespace, name: name)
        switch output {
        case .json: return CommandOutput(stdout: try ObjectPrinter.json(pod))
        case .yaml: return CommandOutput(stdout: try ObjectPrinter.yaml(pod))
        case .name: return CommandOutput(stdout: "pod/\(pod.metadata.name ?? name)\n")
        case .wide, nil:
            return CommandOutput(stdout: PodTablePrinter(wide: output == .wide, now: now()).print([pod]))
        }
    }

    /// `describe pod NAME [-n NS]`: the pod, its in-place updates and its events.
    public func describePod(name: String, namespace: String) async throws -> CommandOutput {
        let pod = try await client.pod(namespace: namespace, name: name)
        let updates = try? await client.updates(namespace: namespace, name: name)
        let events = try await client.events(namespace: namespace, name: name).items
        return CommandOutput(stdout: PodDescriber(now: now()).describe(pod, updates: updates ?? [], events: events))
    }

    /// `events [-n NS | -A] [--pod NAME]`.
    public func events(namespace: String, allNamespaces: Bool, pod: String?) async throws -> CommandOutput {
        var events = try await client.events(namespace: allNamespaces ? nil : namespace, name: pod).items
        if let pod { events = events.filter { $0.involvedObject.name == pod } }
        if events.isEmpty {
            return CommandOutput(
                stdout: "",
                stderr: allNamespaces
                    ? "No resources found\n" : "No resources found in \(namespace) namespace.\n")
        }
        return CommandOutput(stdout: EventTablePrinter(withNamespace: allNamespaces, now: now()).print(events))
    }

    /// `status`: the agent's node, runtime, pod count and manifest errors (a node's socket only).
    public func status() async throws -> CommandOutput {
        guard let socket = client as? StatusClient else {
            throw ServerConfigError(message: "status reads a node's socket: use --socket, not --server")
        }
        return CommandOutput(stdout: HealthPrinter.print(try await socket.health()))
    }
}

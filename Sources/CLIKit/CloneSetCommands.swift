import Foundation
import KubeAPI
import KubeClient
import PodAPI

extension ServerCommands {
    static func cloneSetPath(_ namespace: String, _ name: String) -> String {
        "/apis/apps.kruise.io/v1beta1/namespaces/\(namespace)/clonesets/\(name)"
    }

    /// `scale cloneset NAME --replicas=N`, through the `scale` subresource as kubectl scales:
    /// `cloneset.apps.kruise.io/web scaled`.
    /// - Throws: ``StatusClientError`` (NotFound for a set that does not exist).
    public func scaleCloneSet(name: String, namespace: String, replicas: Int) async throws -> CommandOutput {
        guard replicas >= 0 else { throw ServerConfigError(message: "error: --replicas must be 0 or more, not \(replicas)") }
        try await client.call(
            .PATCH, Self.cloneSetPath(namespace, name) + "/scale", body: ["spec": ["replicas": .integer(Int64(replicas))]],
            contentType: "application/merge-patch+json")
        return CommandOutput(stdout: "cloneset.apps.kruise.io/\(name) scaled\n")
    }

    /// `describe cloneset NAME`: ``CloneSetDescriber`` with the set's events.
    public func describeCloneSet(name: String, namespace: String) async throws -> CommandOutput {
        let set = try await client.call(.GET, Self.cloneSetPath(namespace, name)).body
        let events = try await client.events(namespace: namespace, name: name).items.filter { $0.involvedObject.kind == "CloneSet" }
        return CommandOutput(stdout: CloneSetDescriber(now: now()).describe(set, events: events))
    }

    /// `rollout status cloneset/NAME`: prints (through `print`) each new ``RolloutStatus`` line
    /// until the rollout is done, polling every `interval` seconds, as kubectl waits.
    /// - Throws: ``ServerConfigError`` with kubectl's message when the progress deadline is
    ///   exceeded or `timeout` seconds (0: none) pass; ``StatusClientError`` from the server.
    public func rolloutStatus(
        name: String, namespace: String, timeout: Double, interval: Double = 0.5, print: @Sendable (String) -> Void
    ) async throws {
        let deadline = timeout > 0 ? Date().addingTimeInterval(timeout) : Date.distantFuture
        var last = ""
        while true {
            let set = try await client.call(.GET, Self.cloneSetPath(namespace, name)).body
            switch RolloutStatus.evaluate(set) {
            case .done(let line):
                print(line + "\n")
                return
            case .failed(let message): throw ServerConfigError(message: message)
            case .waiting(let line):
                if line != last { print(line + "\n") }
                last = line
            }
            if Date() >= deadline { throw ServerConfigError(message: "error: timed out waiting for the condition") }
            try await Task.sleep(for: .milliseconds(Int64(interval * 1000)))
        }
    }

    /// `get clonesets -w`: the table, then one row per change as a watch reports it, until the
    /// server ends the watch or the task is cancelled.
    public func watchCloneSets(namespace: String, allNamespaces: Bool, print: @Sendable (String) -> Void) async throws {
        let ns = allNamespaces ? nil : namespace
        let kube = KubeClient(
            config: KubeClientConfig(
                url: client.config.url, token: client.config.token, caFile: client.config.caFile, userAgent: "inplacectl"))
        do {
            let (items, version) = try await kube.list(.cloneSetsV1beta1, namespace: ns)
            let sorted = items.sorted { ($0["metadata"]?.string("name") ?? "") < ($1["metadata"]?.string("name") ?? "") }
            let printer = CloneSetTablePrinter(now: now())
            print(printer.print(sorted))
            for try await event in try await kube.watch(.cloneSetsV1beta1, namespace: ns, resourceVersion: version, timeoutSeconds: 1800) {
                guard ["ADDED", "MODIFIED", "DELETED"].contains(event.string("type") ?? ""), let object = event["object"] else { continue }
                // The row alone, as kubectl -w prints it (aligned on the header's widths).
                let table = CloneSetTablePrinter(now: now()).print([object]).split(separator: "\n")
                if let row = table.last { print(String(row) + "\n") }
            }
        } catch let error as KubeClientError {
            await kube.shutdown()
            throw ServerConfigError(message: "error: \(error)")
        }
        await kube.shutdown()
    }
}

import Foundation
import PodAPI

/// The commands that only an API server answers: `get nodes`, `apply -f`, `delete pod`.
/// Each throws ``StatusClientError`` (or ``ServerConfigError``); output as kubectl prints it.
public struct ServerCommands: Sendable {
    public var client: APIServerClient
    public var now: @Sendable () -> Date

    public init(client: APIServerClient, now: @escaping @Sendable () -> Date = { Date() }) {
        self.client = client
        self.now = now
    }

    /// `get nodes [-o json|yaml|name]`.
    public func getNodes(output: OutputFormat?) async throws -> CommandOutput {
        let nodes = try await client.nodes()
        switch output {
        case .json:
            return CommandOutput(stdout: JSONValue.object(["apiVersion": "v1", "kind": "List", "items": .array(nodes)]).prettyText())
        case .name: return CommandOutput(stdout: nodes.map { "node/\($0["metadata"]?.string("name") ?? "")\n" }.joined())
        case .yaml, .wide, nil:
            if nodes.isEmpty { return CommandOutput(stdout: "", stderr: "No resources found\n") }
            return CommandOutput(stdout: NodeTablePrinter(now: now()).print(nodes))
        }
    }

    /// `apply -f FILE`: every Pod of a (multi-document) YAML or JSON file, created, or when it
    /// exists patched (strategic merge, so an image change is an in-place update): `pod/web
    /// created`, `pod/web configured`, `pod/web unchanged`. A document that is not a Pod, or a
    /// refused one, is an error line; the others still apply.
    public func apply(file: String, text: String, namespace: String) async throws -> CommandOutput {
        let parsed = YAMLManifestParser.parse(text)
        if let failure = parsed.failure { throw ServerConfigError(message: "error parsing \(file): \(failure)") }
        var out = ""
        var err = ""
        for case let doc? in parsed.documents {
            let name = doc["metadata"]?.string("name") ?? ""
            guard doc.string("kind") == "Pod" else {
                err += "error: \(file): only Pods can be applied, not \(doc.string("kind") ?? "an object without kind")\n"
                continue
            }
            let ns = doc["metadata"]?.string("namespace") ?? namespace
            let base = "/api/v1/namespaces/\(ns)/pods"
            do {
                do {
                    try await client.call(.POST, base, body: doc)
                    out += "pod/\(name) created\n"
                } catch StatusClientError.server(let status) where status.reason == "AlreadyExists" {
                    let before = try await client.call(.GET, "\(base)/\(name)").body
                    var patch = doc
                    patch.set("status", nil)
                    let after = try await client.call(
                        .PATCH, "\(base)/\(name)", body: patch, contentType: "application/strategic-merge-patch+json"
                    ).body
                    let changed = before["metadata"]?.string("resourceVersion") != after["metadata"]?.string("resourceVersion")
                    out += "pod/\(name) \(changed ? "configured" : "unchanged")\n"
                }
            } catch {
                err += "\(error)\n"
            }
        }
        if !err.isEmpty, out.isEmpty { throw ServerConfigError(message: String(err.dropLast())) }
        return CommandOutput(stdout: out, stderr: err)
    }

    /// `delete pod NAME [-n NS] [--grace-period S]`: `pod "web" deleted`.
    public func deletePod(name: String, namespace: String, gracePeriod: Int?) async throws -> CommandOutput {
        let body: JSONValue? = gracePeriod.map { ["gracePeriodSeconds": .integer(Int64($0))] }
        try await client.call(.DELETE, "/api/v1/namespaces/\(namespace)/pods/\(name)", body: body)
        return CommandOutput(stdout: "pod \"\(name)\" deleted\n")
    }
}

extension JSONValue {
    /// Indented JSON with sorted keys, as kubectl's `-o json`.
    func prettyText() -> String {
        let data = Data(jsonBytes())
        guard let object = try? JSONSerialization.jsonObject(with: data),
            let pretty = try? JSONSerialization.data(
                withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        else { return jsonText() + "\n" }
        return String(decoding: pretty, as: UTF8.self) + "\n"
    }
}

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

    /// `get clonesets [-n NS | -A]`: kruise's columns, or `-o json|name`.
    public func getCloneSets(namespace: String, allNamespaces: Bool, output: OutputFormat?) async throws -> CommandOutput {
        let sets = try await client.cloneSets(namespace: allNamespaces ? nil : namespace)
        switch output {
        case .json:
            return CommandOutput(stdout: JSONValue.object(["apiVersion": "v1", "kind": "List", "items": .array(sets)]).prettyText())
        case .name:
            return CommandOutput(stdout: sets.map { "cloneset.apps.kruise.io/\($0["metadata"]?.string("name") ?? "")\n" }.joined())
        case .yaml, .wide, nil:
            if sets.isEmpty { return CommandOutput(stdout: "", stderr: "No resources found in \(namespace) namespace.\n") }
            return CommandOutput(stdout: CloneSetTablePrinter(now: now()).print(sets))
        }
    }

    /// `apply -f FILE`: every Pod and CloneSet (apps.kruise.io v1alpha1 or v1beta1) of a
    /// (multi-document) YAML or JSON file, created, or when it exists patched as kubectl does
    /// (strategic merge for a Pod, so an image change is an in-place update; JSON merge for a
    /// CloneSet): `pod/web created`, `cloneset.apps.kruise.io/web configured`, `... unchanged`. A
    /// document of another kind, or a refused one, is an error line; the others still apply.
    public func apply(file: String, text: String, namespace: String) async throws -> CommandOutput {
        let parsed = YAMLManifestParser.parse(text)
        if let failure = parsed.failure { throw ServerConfigError(message: "error parsing \(file): \(failure)") }
        var out = ""
        var err = ""
        for case let doc? in parsed.documents {
            let name = doc["metadata"]?.string("name") ?? ""
            let ns = doc["metadata"]?.string("namespace") ?? namespace
            guard let kind = ApplyKind(doc, namespace: ns) else {
                err +=
                    "error: \(file): only Pods (v1) and CloneSets (apps.kruise.io/v1alpha1, v1beta1) can be applied, not \(doc.string("kind") ?? "an object without kind") \(doc.string("apiVersion") ?? "")\n"
                continue
            }
            let base = kind.collectionPath
            do {
                do {
                    try await client.call(.POST, base, body: doc)
                    out += "\(kind.displayName)/\(name) created\n"
                } catch StatusClientError.server(let status) where status.reason == "AlreadyExists" {
                    let before = try await client.call(.GET, "\(base)/\(name)").body
                    var patch = doc
                    patch.set("status", nil)
                    let after = try await client.call(.PATCH, "\(base)/\(name)", body: patch, contentType: kind.patchType).body
                    let changed = Self.appliedContent(before) != Self.appliedContent(after)
                    out += "\(kind.displayName)/\(name) \(changed ? "configured" : "unchanged")\n"
                }
            } catch {
                err += "\(error)\n"
            }
        }
        if !err.isEmpty, out.isEmpty { throw ServerConfigError(message: String(err.dropLast())) }
        return CommandOutput(stdout: out, stderr: err)
    }

    /// What `apply` can change in an object: all of it but its status and the fields the server
    /// keeps (resourceVersion, managedFields). Comparing this before and after the patch says
    /// `configured` or `unchanged`, as kubectl does by the patch it computed: the resourceVersion
    /// alone also moves when a controller writes the status between the read and the patch.
    public static func appliedContent(_ object: JSONValue) -> JSONValue {
        var content = object.with("status", nil)
        content.editObject("metadata") { meta in
            meta.set("resourceVersion", nil)
            meta.set("managedFields", nil)
        }
        return content
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

/// What `apply` writes a document as: its collection, how kubectl names it, and the patch type
/// kubectl uses for it (strategic merge for built-in kinds, JSON merge for custom resources).
struct ApplyKind {
    var collectionPath: String
    var displayName: String
    var patchType: String

    init?(_ doc: JSONValue, namespace: String) {
        switch (doc.string("kind"), doc.string("apiVersion")) {
        case ("Pod", "v1"):
            collectionPath = "/api/v1/namespaces/\(namespace)/pods"
            displayName = "pod"
            patchType = "application/strategic-merge-patch+json"
        case ("CloneSet", let version?) where version == "apps.kruise.io/v1alpha1" || version == "apps.kruise.io/v1beta1":
            collectionPath = "/apis/\(version)/namespaces/\(namespace)/clonesets"
            displayName = "cloneset.apps.kruise.io"
            patchType = "application/merge-patch+json"
        default:
            return nil
        }
    }
}

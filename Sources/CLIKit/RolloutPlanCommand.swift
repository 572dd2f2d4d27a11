import CloneSetAPI
import CloneSetStrategy
import Foundation
import PodAPI

extension ServerCommands {
    /// `rollout plan -f FILE`: for each CloneSet of the file, what applying it would do to the
    /// pods the API holds now, before anything changes: the pods to update, wave by wave in
    /// update order, in place or recreated (or kruise's refusal for InPlaceOnly), and those the
    /// partition keeps. Computed by the controller's own functions (``RolloutPlanner``).
    public func rolloutPlan(file: String, text: String, namespace: String) async throws -> CommandOutput {
        let parsed = YAMLManifestParser.parse(text)
        if let failure = parsed.failure { throw ServerConfigError(message: "error parsing \(file): \(failure)") }
        var out = ""
        var err = ""
        for case let doc? in parsed.documents where doc.string("kind") == "CloneSet" {
            let name = doc["metadata"]?.string("name") ?? ""
            let ns = doc["metadata"]?.string("namespace") ?? namespace
            let spec: RolloutSpec
            switch RolloutSpecReader.read(doc) {
            case .failure(let errors):
                err += "cloneset.apps.kruise.io/\(name): invalid: \(errors)\n"
                continue
            case .success(let s): spec = s
            }
            let base = "/apis/apps.kruise.io/v1beta1/namespaces/\(ns)/clonesets"
            let current: JSONValue
            do { current = try await client.call(.GET, "\(base)/\(name)").body } catch StatusClientError.server(let status)
                where status.reason == "NotFound"
            {
                out += "cloneset.apps.kruise.io/\(name): new: \(spec.replicas) pods would be created\n"
                continue
            }
            let newTemplate = doc["spec"]?["template"] ?? .object([:])
            let oldTemplate = current["spec"]?["template"] ?? .object([:])
            let revision = CloneSetPods.revision(
                setName: name, template: newTemplate, collisionCount: Int(current["status"]?.integer("collisionCount") ?? 0))
            let selector = (current["spec"]?["selector"]?["matchLabels"]?.objectValue?.compactMapValues(\.stringValue) ?? [:])
                .sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
            let query = selector.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            let pods = try await client.call(.GET, "/api/v1/namespaces/\(ns)/pods?labelSelector=\(query)").body.array("items")
                .filter { $0["metadata"]?["deletionTimestamp"] == nil }
            let planned = pods.map {
                RolloutPlanner.Pod(
                    rank: Self.rank($0),
                    updated: $0["metadata"]?["labels"]?.string(CloneSetPods.revisionLabel) == revision.name)
            }
            let plan = RolloutPlanner.plan(spec: spec, pods: planned, change: InPlacePlan.plan(old: oldTemplate, new: newTemplate))
            out += Self.describe(name: name, plan: plan, spec: spec, revision: revision.name)
        }
        if out.isEmpty && err.isEmpty { err = "error: \(file): no CloneSet in the file\n" }
        if !err.isEmpty, out.isEmpty { throw ServerConfigError(message: String(err.dropLast())) }
        return CommandOutput(stdout: out, stderr: err)
    }

    static func rank(_ pod: JSONValue) -> PodRank {
        let conditions = pod["status"]?.array("conditions") ?? []
        let ready = conditions.first { $0.string("type") == "Ready" }
        return PodRank(
            name: pod["metadata"]?.string("name") ?? "",
            labels: pod["metadata"]?["labels"]?.objectValue?.compactMapValues(\.stringValue) ?? [:],
            assigned: !(pod["spec"]?.string("nodeName") ?? "").isEmpty, phase: PodRank.Phase(pod["status"]?.string("phase")),
            ready: ready?.string("status") == "True",
            readySince: ready?.string("lastTransitionTime").flatMap(Time.parse)?.date.timeIntervalSince1970,
            restarts: pod["status"]?.array("containerStatuses").map { Int($0.integer("restartCount") ?? 0) }.max() ?? 0,
            created: pod["metadata"]?.string("creationTimestamp").flatMap(Time.parse)?.date.timeIntervalSince1970,
            preparingUpdate: pod["metadata"]?["labels"]?.string("lifecycle.apps.kruise.io/state") == "PreparingUpdate")
    }

    static func describe(name: String, plan: RolloutPlan, spec: RolloutSpec, revision: String) -> String {
        let head = "cloneset.apps.kruise.io/\(name)"
        switch plan.mode {
        case .nothing: return "\(head): no change to the pod template\n"
        case .paused: return "\(head): paused (or OnDelete): no pod would be updated\n"
        case .refused(let message): return "\(head): refused: \(message)\n"
        case .inPlace, .recreate:
            let how = plan.mode == .inPlace ? "in place" : "recreated"
            let count = plan.waves.reduce(0) { $0 + $1.count }
            var s = "\(head): \(count) pods to revision \(revision), \(how), in \(plan.waves.count) waves"
            s += " (maxUnavailable \(spec.maxUnavailable.description)"
            if let p = spec.partition { s += ", partition \(p.description)" }
            s += ")\n"
            for (i, wave) in plan.waves.enumerated() { s += "  wave \(i + 1): \(wave.joined(separator: " "))\n" }
            if !plan.kept.isEmpty { s += "  kept: \(plan.kept.joined(separator: " "))\n" }
            return s
        }
    }
}

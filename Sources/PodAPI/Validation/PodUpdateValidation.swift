import Foundation

/// apiserver's `ValidatePodUpdate`: what may change in a running pod's spec.
///
/// Allowed: `spec.containers[*].image`, `spec.initContainers[*].image`,
/// `spec.activeDeadlineSeconds` (set from nil to a positive value, or lowered), added
/// tolerations (an existing toleration may only change its `tolerationSeconds`), removed
/// scheduling gates, and `spec.terminationGracePeriodSeconds` set to 1 when it was negative.
/// Metadata other than name, namespace and uid may change freely.
public enum PodUpdateValidation {
    /// The list of updatable fields, as Kubernetes prints it in the Forbidden message.
    public static let updatableFields = [
        "`spec.containers[*].image`",
        "`spec.initContainers[*].image`",
        "`spec.activeDeadlineSeconds`",
        "`spec.tolerations` (only additions to existing tolerations)",
        "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
    ]

    /// Most changed paths listed in the diff under the Forbidden message.
    static let maxDiffLines = 20

    /// Validates the update of `old` to `new` (both defaulted). Returns every error; empty when
    /// the update is allowed. The checks and their order are the API server's:
    /// - object meta: `metadata.name`/`namespace`/`uid`: `Invalid value: "...": field is immutable`;
    /// - the new pod's own validation (as for create, less the create-only rules);
    /// - `spec.containers: Forbidden: pod updates may not add or remove containers` (same for
    ///   `spec.initContainers`); validation stops there;
    /// - images: `Required value`, `must not have leading or trailing whitespace`;
    /// - `spec.activeDeadlineSeconds: Invalid value: N: must be less than or equal to previous value`,
    ///   `Invalid value: "null": must not update from a positive integer to nil value`;
    /// - `spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds`;
    /// - `spec.schedulingGates[i].name: Forbidden: only deletion is allowed, but found new scheduling gate 'g'`;
    /// - anything else: `spec: Forbidden: pod updates may not change fields other than ...` followed
    ///   by a newline and a list of the changed paths (`spec.dnsPolicy: "ClusterFirst" -> "Default"`).
    public static func validate(old: Pod, new: Pod) -> [FieldError] {
        var errs: [FieldError] = []
        let meta = FieldPath("metadata")
        for (field, o, n) in [
            ("name", old.metadata.name, new.metadata.name),
            ("namespace", old.metadata.namespace, new.metadata.namespace),
            ("uid", old.metadata.uid, new.metadata.uid),
        ] {
            if let o, let n, o != n { errs.append(.invalid(meta.child(field), n, "field is immutable")) }
        }
        errs += PodValidation.validateMetadataAndSpec(new)
        let spec = FieldPath("spec")
        for (listName, oldList, newList) in [
            ("containers", old.spec.containers, new.spec.containers),
            ("initContainers", old.spec.initContainers ?? [], new.spec.initContainers ?? []),
        ] {
            let p = spec.child(listName)
            if oldList.count != newList.count {
                errs.append(.forbidden(p, "pod updates may not add or remove containers"))
                return errs
            }
            for (i, c) in newList.enumerated() {
                let image = c.image ?? ""
                if image.isEmpty { errs.append(.required(p.index(i).child("image"))) }
                if image.trimmingCharacters(in: .whitespacesAndNewlines) != image {
                    errs.append(.invalid(p.index(i).child("image"), image, "must not have leading or trailing whitespace"))
                }
            }
        }
        if let n = new.spec.activeDeadlineSeconds {
            if n < 0 || n > Int64(Int32.max) {
                errs.append(.invalid(spec.child("activeDeadlineSeconds"), n, NameValidation.inclusiveRangeError(0, Int64(Int32.max))))
                return errs
            }
            if let o = old.spec.activeDeadlineSeconds, o < n {
                errs.append(.invalid(spec.child("activeDeadlineSeconds"), n, "must be less than or equal to previous value"))
                return errs
            }
        } else if old.spec.activeDeadlineSeconds != nil {
            errs.append(.invalid(spec.child("activeDeadlineSeconds"), "null", "must not update from a positive integer to nil value"))
        }
        errs += onlyAddedTolerations(new: new.spec.tolerations ?? [], old: old.spec.tolerations ?? [], spec.child("tolerations"))
        errs += onlyDeletedSchedulingGates(
            new: new.spec.schedulingGates ?? [], old: old.spec.schedulingGates ?? [], spec.child("schedulingGates"))
        if new.spec == old.spec { return errs }

        let munged = mungedSpec(old: old.spec, new: new.spec)
        if munged != old.spec {
            let diff = specDiff(old: old.spec, new: munged)
            errs.append(.forbidden(spec, "pod updates may not change fields other than \(updatableFields.joined(separator: ","))\n\(diff)"))
        }
        return errs
    }

    /// The messages of `validate(old:new:)`.
    public static func messages(old: Pod, new: Pod) -> [String] { validate(old: old, new: new).map(\.description) }

    /// `new` with every updatable field put back to `old`'s value.
    static func mungedSpec(old: PodSpec, new: PodSpec) -> PodSpec {
        var m = new
        for i in m.containers.indices where i < old.containers.count { m.containers[i].image = old.containers[i].image }
        if var inits = m.initContainers, let oldInits = old.initContainers {
            for i in inits.indices where i < oldInits.count { inits[i].image = oldInits[i].image }
            m.initContainers = inits
        }
        m.activeDeadlineSeconds = old.activeDeadlineSeconds
        m.schedulingGates = old.schedulingGates
        m.tolerations = old.tolerations
        if let o = old.terminationGracePeriodSeconds, o < 0, m.terminationGracePeriodSeconds == 1 {
            m.terminationGracePeriodSeconds = o
        }
        return m
    }

    static func onlyAddedTolerations(new: [JSONValue], old: [JSONValue], _ path: FieldPath) -> [FieldError] {
        func withoutSeconds(_ t: JSONValue) -> JSONValue {
            var c = t
            c.set("tolerationSeconds", nil)
            return c
        }
        let newStripped = new.map(withoutSeconds)
        for o in old where !newStripped.contains(withoutSeconds(o)) {
            return [.forbidden(path, "existing toleration can not be modified except its tolerationSeconds")]
        }
        return TolerationValidation.validate(new, path)
    }

    static func onlyDeletedSchedulingGates(new: [JSONValue], old: [JSONValue], _ path: FieldPath) -> [FieldError] {
        let oldNames = Set(old.compactMap { $0.string("name") })
        var errs: [FieldError] = []
        var reported = Set<String>()
        for (i, g) in new.enumerated().reversed() {
            let name = g.string("name") ?? ""
            if !oldNames.contains(name) && reported.insert(name).inserted {
                errs.append(.forbidden(path.index(i).child("name"), "only deletion is allowed, but found new scheduling gate '\(name)'"))
            }
        }
        return errs.reversed()
    }

    /// A short list of what differs between two specs: one line per changed leaf path,
    /// `  spec.<path>: <old JSON> -> <new JSON>` (`<absent>` for a missing side).
    static func specDiff(old: PodSpec, new: PodSpec) -> String {
        var lines: [String] = []
        diff(jsonValue(old), jsonValue(new), path: "spec", into: &lines)
        if lines.count > maxDiffLines {
            let more = lines.count - maxDiffLines
            lines = Array(lines.prefix(maxDiffLines)) + ["  ... and \(more) more"]
        }
        return lines.joined(separator: "\n")
    }

    static func jsonValue<T: Encodable>(_ v: T) -> JSONValue {
        guard let data = try? JSONEncoder().encode(v), let j = try? JSONDecoder().decode(JSONValue.self, from: data) else { return .null }
        return j
    }

    static func diff(_ a: JSONValue?, _ b: JSONValue?, path: String, into lines: inout [String]) {
        if a == b { return }
        switch (a, b) {
        case (.object(let x)?, .object(let y)?):
            for k in Set(x.keys).union(y.keys).sorted() { diff(x[k], y[k], path: path + "." + k, into: &lines) }
        case (.array(let x)?, .array(let y)?) where x.count == y.count:
            for i in x.indices { diff(x[i], y[i], path: path + "[\(i)]", into: &lines) }
        default:
            lines.append("  \(path): \(a?.compactJSON ?? "<absent>") -> \(b?.compactJSON ?? "<absent>")")
        }
    }
}

/// Environment rules of apiserver's validation (`ValidateEnv`, `validateEnvVarValueFrom`,
/// `ValidateEnvFrom`), with the relaxed variable-name rule that is on by default since 1.32.
enum EnvValidation {
    static let envFieldPaths = [
        "metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace", "metadata.uid",
        "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs",
    ]
    static let volumeFieldPaths = ["metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace", "metadata.uid"]

    static func validateEnv(_ vars: [JSONValue], _ path: FieldPath) -> [FieldError] {
        var errs: [FieldError] = []
        for (i, ev) in vars.enumerated() {
            let p = path.index(i)
            let name = ev.string("name") ?? ""
            if name.isEmpty {
                errs.append(.required(p.child("name")))
            } else {
                for msg in NameValidation.relaxedEnvVarName(name) { errs.append(.invalid(p.child("name"), name, msg)) }
            }
            errs += validateValueFrom(ev, p.child("valueFrom"))
        }
        return errs
    }

    static func validateValueFrom(_ ev: JSONValue, _ path: FieldPath) -> [FieldError] {
        guard let from = ev.object("valueFrom") else { return [] }
        var errs: [FieldError] = []
        var sources = 0
        if let f = from.object("fieldRef") {
            sources += 1
            errs += validateFieldSelector(
                f, allowed: envFieldPaths.filter { $0 != "metadata.annotations" && $0 != "metadata.labels" },
                path.child("fieldRef"))
        }
        if let r = from.object("resourceFieldRef") {
            sources += 1
            if (r.string("resource") ?? "").isEmpty { errs.append(.required(path.child("resourceFieldRef").child("resource"))) }
        }
        for selector in ["configMapKeyRef", "secretKeyRef"] {
            guard let s = from.object(selector) else { continue }
            sources += 1
            let p = path.child(selector)
            if (s.string("name") ?? "").isEmpty { errs.append(.required(p.child("name"))) }
            let key = s.string("key") ?? ""
            if key.isEmpty {
                errs.append(.required(p.child("key")))
            } else {
                for msg in configMapKey(key) { errs.append(.invalid(p.child("key"), key, msg)) }
            }
        }
        if sources == 0 {
            errs.append(.invalid(path, "", "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`"))
        } else if !(ev.string("value") ?? "").isEmpty {
            errs.append(.invalid(path, "", "may not be specified when `value` is not empty"))
        } else if sources > 1 {
            errs.append(.invalid(path, "", "may not have more than one field specified at a time"))
        }
        return errs
    }

    /// validateObjectFieldSelector: apiVersion and fieldPath required; the path one of `allowed`,
    /// or `metadata.labels['<key>']` / `metadata.annotations['<key>']` with a qualified-name key.
    static func validateFieldSelector(_ f: JSONValue, allowed: [String], _ path: FieldPath) -> [FieldError] {
        var errs: [FieldError] = []
        if (f.string("apiVersion") ?? "").isEmpty { errs.append(.required(path.child("apiVersion"))) }
        let fieldPath = f.string("fieldPath") ?? ""
        if fieldPath.isEmpty {
            errs.append(.required(path.child("fieldPath")))
            return errs
        }
        for prefix in ["metadata.labels", "metadata.annotations"] where fieldPath.hasPrefix(prefix + "['") && fieldPath.hasSuffix("']") {
            let key = String(fieldPath.dropFirst(prefix.count + 2).dropLast(2))
            let check = prefix == "metadata.labels" ? key : key.lowercased()
            for msg in NameValidation.qualifiedName(check) { errs.append(.invalid(path.child("fieldPath"), key, msg)) }
            return errs
        }
        if !allowed.contains(fieldPath) { errs.append(.notSupported(path.child("fieldPath"), fieldPath, allowed.sorted())) }
        return errs
    }

    /// IsConfigMapKey.
    static func configMapKey(_ key: String) -> [String] {
        var errs: [String] = []
        if key.utf8.count > 253 { errs.append(NameValidation.maxLenError(253)) }
        let allowed = key.unicodeScalars.allSatisfy { u in
            u.isASCII && (u.properties.isAlphabetic || ("0"..."9").contains(u) || u == "-" || u == "." || u == "_")
        }
        if key.isEmpty || !allowed {
            errs.append(
                NameValidation.regexError(
                    "a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
                    "[-._a-zA-Z0-9]+", examples: ["key.name", "KEY_NAME", "key-name"]))
        }
        if key == "." { errs.append("must not be '.'") }
        if key == ".." { errs.append("must not be '..'") } else if key.hasPrefix("..") { errs.append("must not start with '..'") }
        return errs
    }

    static func validateEnvFrom(_ sources: [JSONValue], _ path: FieldPath) -> [FieldError] {
        var errs: [FieldError] = []
        for (i, ev) in sources.enumerated() {
            let p = path.index(i)
            if let prefix = ev.string("prefix"), !prefix.isEmpty {
                for msg in NameValidation.relaxedEnvVarName(prefix) { errs.append(.invalid(p.child("prefix"), prefix, msg)) }
            }
            var count = 0
            for ref in ["configMapRef", "secretRef"] {
                guard let r = ev.object(ref) else { continue }
                count += 1
                let name = r.string("name") ?? ""
                if name.isEmpty {
                    errs.append(.required(p.child(ref).child("name")))
                } else {
                    for msg in NameValidation.dns1123Subdomain(name) { errs.append(.invalid(p.child(ref).child("name"), name, msg)) }
                }
            }
            if count == 0 {
                errs.append(.invalid(p, "", "must specify one of: `configMapRef` or `secretRef`"))
            } else if count > 1 {
                errs.append(.invalid(p, "", "may not have more than one field specified at a time"))
            }
        }
        return errs
    }
}

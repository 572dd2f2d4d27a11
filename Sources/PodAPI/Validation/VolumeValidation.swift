/// Volume and volume mount rules of apiserver's validation (`ValidateVolumes`,
/// `validateVolumeSource` for the common sources, `ValidateVolumeMounts`).
enum VolumeValidation {
    /// Returns the errors and the names of the volumes that validated (mounts may refer to them).
    static func validateVolumes(_ volumes: [JSONValue], _ path: FieldPath) -> ([FieldError], Set<String>) {
        var errs: [FieldError] = []
        var names = Set<String>()
        for (i, v) in volumes.enumerated() {
            let p = path.index(i)
            let sourceErrs = validateSource(v, p)
            let name = v.string("name") ?? ""
            if name.isEmpty {
                errs.append(.required(p.child("name")))
            } else {
                for msg in NameValidation.dns1123Label(name) { errs.append(.invalid(p.child("name"), name, msg)) }
            }
            if names.contains(name) { errs.append(.duplicate(p.child("name"), name)) }
            if sourceErrs.isEmpty { names.insert(name) } else { errs += sourceErrs }
        }
        return (errs, names)
    }

    static func validateSource(_ v: JSONValue, _ path: FieldPath) -> [FieldError] {
        var errs: [FieldError] = []
        let present = PodDefaulting.volumeSources.sorted().filter { v[$0] != nil && v[$0] != .null }
        if present.isEmpty { return [.required(path, "must specify a volume type")] }
        for extra in present.dropFirst() { errs.append(.forbidden(path.child(extra), "may not specify more than 1 volume type")) }
        let kind = present[0]
        let s = v[kind]!
        let p = path.child(kind)
        func required(_ field: String) {
            if (s.string(field) ?? "").isEmpty { errs.append(.required(p.child(field))) }
        }
        func mode(_ m: JSONValue?, _ mp: FieldPath) {
            if let m = m?.integerValue, m < 0 || m > 0o777 {
                errs.append(.invalid(mp, m, "must be a number between 0 and 0777 (octal), both inclusive"))
            }
        }
        func items(_ list: [JSONValue], _ ip: FieldPath) {
            for (i, item) in list.enumerated() {
                let q = ip.index(i)
                if (item.string("key") ?? "").isEmpty { errs.append(.required(q.child("key"))) }
                errs += relativePath(item.string("path") ?? "", q.child("path"))
                mode(item["mode"], q.child("mode"))
            }
        }
        switch kind {
        case "hostPath": required("path")
        case "secret":
            required("secretName")
            items(s.array("items"), p.child("items"))
            mode(s["defaultMode"], p.child("defaultMode"))
        case "configMap":
            required("name")
            items(s.array("items"), p.child("items"))
            mode(s["defaultMode"], p.child("defaultMode"))
        case "persistentVolumeClaim": required("claimName")
        case "image": required("reference")
        case "downwardAPI":
            mode(s["defaultMode"], p.child("defaultMode"))
            for (i, item) in s.array("items").enumerated() {
                let q = p.child("items").index(i)
                errs += relativePath(item.string("path") ?? "", q.child("path"))
                if let f = item.object("fieldRef") {
                    errs += EnvValidation.validateFieldSelector(f, allowed: EnvValidation.volumeFieldPaths, q.child("fieldRef"))
                }
            }
        case "projected":
            mode(s["defaultMode"], p.child("defaultMode"))
            for (i, src) in s.array("sources").enumerated() {
                let q = p.child("sources").index(i)
                for inner in ["secret", "configMap"] {
                    if let o = src.object(inner) { items(o.array("items"), q.child(inner).child("items")) }
                }
                if let t = src.object("serviceAccountToken") {
                    if (t.string("path") ?? "").isEmpty { errs.append(.required(q.child("serviceAccountToken").child("path"))) }
                    if let e = t.integer("expirationSeconds"), e < 600 {
                        errs.append(
                            .invalid(
                                q.child("serviceAccountToken").child("expirationSeconds"), e,
                                "may not specify a duration less than 10 minutes"))
                    }
                }
            }
        case "nfs":
            required("server")
            required("path")
        case "csi": required("driver")
        default: break
        }
        return errs
    }

    /// validateLocalDescendingPath: a relative path without `..` elements.
    static func relativePath(_ s: String, _ path: FieldPath) -> [FieldError] {
        if s.isEmpty { return [.required(path)] }
        var errs: [FieldError] = []
        if s.hasPrefix("/") { errs.append(.invalid(path, s, "must be a relative path")) }
        if s.split(separator: "/").contains("..") { errs.append(.invalid(path, s, "must not contain '..'")) }
        return errs
    }

    static let propagationModes = ["Bidirectional", "HostToContainer", "None"]

    static func validateMounts(_ mounts: [JSONValue], volumes: Set<String>, path: FieldPath) -> [FieldError] {
        var errs: [FieldError] = []
        var mountPoints = Set<String>()
        for (i, m) in mounts.enumerated() {
            let p = path.index(i)
            let name = m.string("name") ?? ""
            if name.isEmpty { errs.append(.required(p.child("name"))) }
            if !volumes.contains(name) { errs.append(.notFound(p.child("name"), name)) }
            let mountPath = m.string("mountPath") ?? ""
            if mountPath.isEmpty { errs.append(.required(p.child("mountPath"))) }
            if mountPoints.contains(mountPath) { errs.append(.invalid(p.child("mountPath"), mountPath, "must be unique")) }
            mountPoints.insert(mountPath)
            if let sub = m.string("subPath"), !sub.isEmpty {
                if sub.hasPrefix("/") { errs.append(.invalid(p.child("subPath"), sub, "must be a relative path")) }
                if sub.split(separator: "/").contains("..") { errs.append(.invalid(p.child("subPath"), sub, "must not contain '..'")) }
            }
            if let prop = m.string("mountPropagation"), !propagationModes.contains(prop) {
                errs.append(.notSupported(p.child("mountPropagation"), prop, propagationModes))
            }
        }
        return errs
    }
}

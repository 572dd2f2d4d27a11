/// The numeric and enum rules of apiserver's security context validation: user and group IDs in
/// 0...2147483647, supported seccomp / AppArmor profile types and procMount values.
enum SecurityContextValidation {
    static let idRange = NameValidation.inclusiveRangeError(0, Int64(Int32.max))

    static func id(_ v: JSONValue?, _ path: FieldPath) -> [FieldError] {
        guard let i = v?.integerValue else { return [] }
        return (0...Int64(Int32.max)).contains(i) ? [] : [.invalid(path, i, idRange)]
    }

    static func profile(_ v: JSONValue?, _ path: FieldPath, types: [String]) -> [FieldError] {
        guard let v, case .object = v else { return [] }
        let type = v.string("type") ?? ""
        if type.isEmpty { return [.required(path.child("type"))] }
        if !types.contains(type) { return [.notSupported(path.child("type"), type, types)] }
        if type == "Localhost" && (v.string("localhostProfile") ?? "").isEmpty {
            return [
                .required(
                    path.child("localhostProfile"),
                    "must be set when \(path.description.hasSuffix("seccompProfile") ? "seccomp" : "AppArmor") type is Localhost")
            ]
        }
        return []
    }

    static func common(_ sc: JSONValue, _ path: FieldPath) -> [FieldError] {
        var errs = id(sc["runAsUser"], path.child("runAsUser")) + id(sc["runAsGroup"], path.child("runAsGroup"))
        errs += profile(sc["seccompProfile"], path.child("seccompProfile"), types: ["Localhost", "RuntimeDefault", "Unconfined"])
        errs += profile(sc["appArmorProfile"], path.child("appArmorProfile"), types: ["Localhost", "RuntimeDefault", "Unconfined"])
        return errs
    }

    static func validatePodSecurityContext(_ sc: JSONValue?, _ path: FieldPath) -> [FieldError] {
        guard let sc else { return [] }
        var errs = common(sc, path)
        errs += id(sc["fsGroup"], path.child("fsGroup"))
        for (i, g) in sc.array("supplementalGroups").enumerated() { errs += id(g, path.child("supplementalGroups").index(i)) }
        if let p = sc.string("fsGroupChangePolicy"), !["OnRootMismatch", "Always"].contains(p) {
            errs.append(.notSupported(path.child("fsGroupChangePolicy"), p, ["OnRootMismatch", "Always"]))
        }
        if let p = sc.string("supplementalGroupsPolicy"), !["Merge", "Strict"].contains(p) {
            errs.append(.notSupported(path.child("supplementalGroupsPolicy"), p, ["Merge", "Strict"]))
        }
        return errs
    }

    static func validateContainerSecurityContext(_ sc: JSONValue?, _ path: FieldPath) -> [FieldError] {
        guard let sc else { return [] }
        var errs = common(sc, path)
        if let p = sc.string("procMount"), !["Default", "Unmasked"].contains(p) {
            errs.append(.notSupported(path.child("procMount"), p, ["Default", "Unmasked"]))
        }
        if sc["privileged"]?.boolValue == true && sc["allowPrivilegeEscalation"]?.boolValue == false {
            errs.append(.invalid(path, rendered: "false", "cannot set `allowPrivilegeEscalation` to false and `privileged` to true"))
        }
        return errs
    }
}

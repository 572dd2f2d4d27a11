/// apiserver's `ValidateTolerations`.
enum TolerationValidation {
    static let effects = ["NoSchedule", "PreferNoSchedule", "NoExecute"]

    static func validate(_ tolerations: [JSONValue], _ path: FieldPath) -> [FieldError] {
        var errs: [FieldError] = []
        for (i, t) in tolerations.enumerated() {
            let p = path.index(i)
            let key = t.string("key") ?? ""
            let op = t.string("operator") ?? ""
            let value = t.string("value") ?? ""
            let effect = t.string("effect") ?? ""
            if !key.isEmpty {
                for msg in NameValidation.qualifiedName(key) { errs.append(.invalid(p.child("key"), key, msg)) }
            }
            if key.isEmpty && op != "Exists" {
                errs.append(
                    .invalid(
                        p.child("operator"), op,
                        "operator must be Exists when `key` is empty, which means \"match all values and all keys\""))
            }
            if t["tolerationSeconds"] != nil && t["tolerationSeconds"] != .null && effect != "NoExecute" {
                errs.append(.invalid(p.child("effect"), effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"))
            }
            switch op {
            case "Equal", "":
                let msgs = NameValidation.labelValue(value)
                if !msgs.isEmpty { errs.append(.invalid(p.child("operator"), value, msgs.joined(separator: ";"))) }
            case "Exists":
                if !value.isEmpty {
                    errs.append(.invalid(p.child("operator"), rendered: t.compactJSON, "value must be empty when `operator` is 'Exists'"))
                }
            default:
                errs.append(.notSupported(p.child("operator"), op, ["Equal", "Exists"]))
            }
            if !effect.isEmpty && !effects.contains(effect) {
                errs.append(.notSupported(p.child("effect"), effect, effects))
            }
        }
        return errs
    }
}

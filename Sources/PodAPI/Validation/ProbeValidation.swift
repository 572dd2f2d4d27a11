/// Probe and lifecycle handler rules of apiserver's validation (`validateProbe`,
/// `validateHandler`, `validateLifecycle`).
enum ProbeValidation {
    static let schemes = ["HTTP", "HTTPS"]

    static func validateProbe(_ probe: JSONValue?, _ path: FieldPath, mustSucceedOnce: Bool) -> [FieldError] {
        guard let probe else { return [] }
        var errs = validateHandler(probe, path, kinds: ["exec", "httpGet", "tcpSocket", "grpc"])
        for field in ["initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold", "failureThreshold"] {
            if let v = probe.integer(field), v < 0 {
                errs.append(.invalid(path.child(field), v, "must be greater than or equal to 0"))
            }
        }
        if let g = probe.integer("terminationGracePeriodSeconds"), g <= 0 {
            errs.append(.invalid(path.child("terminationGracePeriodSeconds"), g, "must be greater than 0"))
        }
        if mustSucceedOnce, let s = probe.integer("successThreshold"), s != 1 {
            errs.append(.invalid(path.child("successThreshold"), s, "must be 1"))
        }
        return errs
    }

    static func validateLifecycle(_ lifecycle: JSONValue, _ path: FieldPath) -> [FieldError] {
        var errs: [FieldError] = []
        for hook in ["postStart", "preStop"] {
            if let h = lifecycle.object(hook) {
                errs += validateHandler(h, path.child(hook), kinds: ["exec", "httpGet", "tcpSocket", "sleep"])
            }
        }
        return errs
    }

    /// validateHandler: exactly one handler kind, each checked.
    static func validateHandler(_ h: JSONValue, _ path: FieldPath, kinds: [String]) -> [FieldError] {
        var errs: [FieldError] = []
        var count = 0
        for kind in kinds {
            guard let body = h.object(kind) else { continue }
            if count > 0 {
                errs.append(.forbidden(path.child(kind), "may not specify more than 1 handler type"))
                continue
            }
            count += 1
            let p = path.child(kind)
            switch kind {
            case "exec":
                if body.array("command").isEmpty { errs.append(.required(p.child("command"))) }
            case "httpGet":
                if (body.string("path") ?? "").isEmpty { errs.append(.required(p.child("path"))) }
                errs += portNumOrName(body["port"], p.child("port"))
                let scheme = body.string("scheme") ?? ""
                if !schemes.contains(scheme) { errs.append(.notSupported(p.child("scheme"), scheme, schemes)) }
            case "tcpSocket":
                errs += portNumOrName(body["port"], p.child("port"))
            case "grpc":
                let port = body.integer("port") ?? 0
                for msg in NameValidation.portNumber(port) { errs.append(.invalid(p.child("port"), port, msg)) }
            case "sleep":
                let s = body.integer("seconds") ?? 0
                if s < 0 { errs.append(.invalid(p.child("seconds"), s, "must be non-negative")) }
            default: break
            }
        }
        if count == 0 { errs.append(.required(path, "must specify a handler type")) }
        return errs
    }

    /// ValidatePortNumOrName for an `intstr.IntOrString` port.
    static func portNumOrName(_ port: JSONValue?, _ path: FieldPath) -> [FieldError] {
        switch port {
        case .string(let s)?:
            return NameValidation.portName(s).map { .invalid(path, s, $0) }
        case .integer(let i)?:
            return NameValidation.portNumber(i).map { .invalid(path, i, $0) }
        default:
            return NameValidation.portNumber(0).map { .invalid(path, 0, $0) }
        }
    }
}

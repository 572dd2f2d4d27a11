/// The container rules of apiserver's ValidatePodSpec (`validateContainers`,
/// `validateInitContainers`, `validateContainerCommon` and what they call).
enum ContainerValidation {
    static let terminationMessagePolicies = ["File", "FallbackToLogsOnError"]
    static let pullPolicies = ["Always", "IfNotPresent", "Never"]
    static let protocols = ["SCTP", "TCP", "UDP"]

    static func validateContainers(_ containers: [Container], volumes: Set<String>, gracePeriod: Int64?, path: FieldPath) -> [FieldError] {
        if containers.isEmpty { return [.required(path)] }
        var errs: [FieldError] = []
        var names = Set<String>()
        for (i, c) in containers.enumerated() {
            let p = path.index(i)
            errs += validateCommon(c, volumes: volumes, path: p)
            if !names.insert(c.name).inserted { errs.append(.duplicate(p.child("name"), c.name)) }
            let bag = JSONValue.object(c.other)
            if let lifecycle = bag.object("lifecycle") { errs += ProbeValidation.validateLifecycle(lifecycle, p.child("lifecycle")) }
            errs += ProbeValidation.validateProbe(bag.object("livenessProbe"), p.child("livenessProbe"), mustSucceedOnce: true)
            errs += ProbeValidation.validateProbe(bag.object("readinessProbe"), p.child("readinessProbe"), mustSucceedOnce: false)
            errs += ProbeValidation.validateProbe(bag.object("startupProbe"), p.child("startupProbe"), mustSucceedOnce: true)
            if bag["restartPolicy"] != nil {
                errs.append(.forbidden(p.child("restartPolicy"), "may not be set for non-init containers"))
            }
        }
        errs += hostPortConflicts(containers, path)
        return errs
    }

    static func validateInitContainers(
        _ containers: [Container], regular: [Container], volumes: Set<String>,
        gracePeriod: Int64?, path: FieldPath
    ) -> [FieldError] {
        var errs: [FieldError] = []
        var names = Set(regular.map(\.name))
        for (i, c) in containers.enumerated() {
            let p = path.index(i)
            errs += validateCommon(c, volumes: volumes, path: p)
            let bag = JSONValue.object(c.other)
            var restartAlways = false
            if let policy = bag.string("restartPolicy") {
                if policy != "Always" { errs.append(.notSupported(p.child("restartPolicy"), policy, ["Always"])) }
                restartAlways = policy == "Always"
            }
            if names.contains(c.name) {
                errs.append(.duplicate(p.child("name"), c.name))
            } else if !c.name.isEmpty {
                names.insert(c.name)
            }
            errs += hostPortConflicts([c], path)
            if restartAlways {
                if let lifecycle = bag.object("lifecycle") { errs += ProbeValidation.validateLifecycle(lifecycle, p.child("lifecycle")) }
                errs += ProbeValidation.validateProbe(bag.object("livenessProbe"), p.child("livenessProbe"), mustSucceedOnce: true)
                errs += ProbeValidation.validateProbe(bag.object("readinessProbe"), p.child("readinessProbe"), mustSucceedOnce: false)
                errs += ProbeValidation.validateProbe(bag.object("startupProbe"), p.child("startupProbe"), mustSucceedOnce: true)
            } else {
                let without = "may not be set for init containers without restartPolicy=Always"
                if bag["lifecycle"] != nil { errs.append(.forbidden(p.child("lifecycle"), without)) }
                if bag["livenessProbe"] != nil { errs.append(.forbidden(p.child("livenessProbe"), without)) }
                if bag["readinessProbe"] != nil { errs.append(.forbidden(p.child("readinessProbe"), "may not be set for init containers")) }
                if bag["startupProbe"] != nil { errs.append(.forbidden(p.child("startupProbe"), without)) }
            }
            if !bag.array("resizePolicy").isEmpty {
                errs.append(
                    .invalid(p.child("resizePolicy"), rendered: bag["resizePolicy"]!.compactJSON, "must not be set for init containers"))
            }
        }
        return errs
    }

    /// validateContainerCommon.
    static func validateCommon(_ c: Container, volumes: Set<String>, path: FieldPath) -> [FieldError] {
        var errs: [FieldError] = []
        if c.name.isEmpty {
            errs.append(.required(path.child("name")))
        } else {
            for msg in NameValidation.dns1123Label(c.name) { errs.append(.invalid(path.child("name"), c.name, msg)) }
        }
        if (c.image ?? "").isEmpty { errs.append(.required(path.child("image"))) }
        switch c.terminationMessagePolicy ?? "" {
        case "File", "FallbackToLogsOnError": break
        case "": errs.append(.required(path.child("terminationMessagePolicy")))
        case let other: errs.append(.notSupported(path.child("terminationMessagePolicy"), other, terminationMessagePolicies))
        }
        let bag = JSONValue.object(c.other)
        errs += validatePorts(bag.array("ports"), path.child("ports"))
        errs += EnvValidation.validateEnv(bag.array("env"), path.child("env"))
        errs += EnvValidation.validateEnvFrom(bag.array("envFrom"), path.child("envFrom"))
        errs += VolumeValidation.validateMounts(bag.array("volumeMounts"), volumes: volumes, path: path.child("volumeMounts"))
        switch c.imagePullPolicy ?? "" {
        case "Always", "IfNotPresent", "Never": break
        case "": errs.append(.required(path.child("imagePullPolicy")))
        case let other: errs.append(.notSupported(path.child("imagePullPolicy"), other, pullPolicies))
        }
        if let resources = bag.object("resources") { errs += validateResources(resources, path.child("resources"), podLevel: false) }
        errs += SecurityContextValidation.validateContainerSecurityContext(bag.object("securityContext"), path.child("securityContext"))
        return errs
    }

    /// validateContainerPorts.
    static func validatePorts(_ ports: [JSONValue], _ path: FieldPath) -> [FieldError] {
        var errs: [FieldError] = []
        var names = Set<String>()
        for (i, port) in ports.enumerated() {
            let p = path.index(i)
            if let name = port.string("name"), !name.isEmpty {
                let msgs = NameValidation.portName(name)
                if !msgs.isEmpty {
                    for msg in msgs { errs.append(.invalid(p.child("name"), name, msg)) }
                } else if !names.insert(name).inserted {
                    errs.append(.duplicate(p.child("name"), name))
                }
            }
            let containerPort = port.integer("containerPort") ?? 0
            if containerPort == 0 {
                errs.append(.required(p.child("containerPort")))
            } else {
                for msg in NameValidation.portNumber(containerPort) { errs.append(.invalid(p.child("containerPort"), containerPort, msg)) }
            }
            if let hostPort = port.integer("hostPort"), hostPort != 0 {
                for msg in NameValidation.portNumber(hostPort) { errs.append(.invalid(p.child("hostPort"), hostPort, msg)) }
            }
            let proto = port.string("protocol") ?? ""
            if proto.isEmpty {
                errs.append(.required(p.child("protocol")))
            } else if !protocols.contains(proto) {
                errs.append(.notSupported(p.child("protocol"), proto, protocols))
            }
        }
        return errs
    }

    /// AccumulateUniqueHostPorts: a `hostIP/protocol/hostPort` triple used twice is a duplicate.
    static func hostPortConflicts(_ containers: [Container], _ path: FieldPath) -> [FieldError] {
        var errs: [FieldError] = []
        var seen = Set<String>()
        for (ci, c) in containers.enumerated() {
            for (pi, port) in JSONValue.object(c.other).array("ports").enumerated() {
                let hostPort = port.integer("hostPort") ?? 0
                if hostPort == 0 { continue }
                let key = "\(port.string("hostIP") ?? "")/\(port.string("protocol") ?? "")/\(hostPort)"
                if !seen.insert(key).inserted {
                    errs.append(.duplicate(path.index(ci).child("ports").index(pi).child("hostPort"), key))
                }
            }
        }
        return errs
    }

    static let standardContainerResources: Set<String> = ["cpu", "memory", "ephemeral-storage"]

    /// ValidateResourceRequirements: resource names, non-negative quantities, requests no larger
    /// than limits (equal for resources that cannot be overcommitted: hugepages, extended ones).
    static func validateResources(_ r: JSONValue, _ path: FieldPath, podLevel: Bool) -> [FieldError] {
        var errs: [FieldError] = []
        let limits = r.object("limits")?.objectValue ?? [:]
        let requests = r.object("requests")?.objectValue ?? [:]
        func checkName(_ name: String, _ p: FieldPath) {
            for msg in NameValidation.qualifiedName(name) { errs.append(.invalid(p, name, msg)) }
            if podLevel {
                if !["cpu", "memory", "hugepages-2Mi", "hugepages-1Gi"].contains(name) && !name.hasPrefix("hugepages-") {
                    errs.append(.notSupported(p, name, ["cpu", "memory"]))
                }
            } else if !name.contains("/") {
                if !standardContainerResources.contains(name) && !name.hasPrefix("hugepages-") {
                    errs.append(.invalid(p, name, "must be a standard resource for containers"))
                }
            }
        }
        func checkValue(_ v: JSONValue, _ p: FieldPath) -> Quantity? {
            guard let q = Quantity.from(v) else { return nil }
            if q.value < 0 { errs.append(.invalid(p, q.text, "must be greater than or equal to 0")) }
            return q
        }
        for name in limits.keys.sorted() {
            let p = path.child("limits").key(name)
            checkName(name, p)
            _ = checkValue(limits[name]!, p)
        }
        for name in requests.keys.sorted() {
            let p = path.child("requests").key(name)
            checkName(name, p)
            guard let q = checkValue(requests[name]!, p) else { continue }
            let overcommit = !name.hasPrefix("hugepages-") && (!name.contains("/") || name.hasPrefix("kubernetes.io/"))
            if let lv = limits[name], let l = Quantity.from(lv) {
                if q.value != l.value && !overcommit {
                    errs.append(.invalid(path.child("requests"), q.text, "must be equal to \(name) limit of \(l.text)"))
                } else if q.value > l.value {
                    errs.append(.invalid(path.child("requests"), q.text, "must be less than or equal to \(name) limit of \(l.text)"))
                }
            } else if !overcommit {
                errs.append(.required(path.child("limits"), "Limit must be set for non overcommitable resources"))
            }
        }
        return errs
    }
}

import Foundation

/// apiserver's `ValidatePodCreate` for a defaulted Pod: every rule below returns its errors in
/// Kubernetes' `field.ErrorList` wording (see `FieldError`), and all of them are returned, not
/// just the first.
///
/// Covered: object meta (name or generateName, RFC 1123 subdomain name, namespace label, label and
/// annotation keys and values, finalizers); volumes; containers and init containers (names,
/// duplicates across both lists, image required / no surrounding whitespace / a valid reference,
/// pull and termination message policies, ports, env, envFrom, resources, mounts, probes,
/// lifecycle, security context, restartPolicy of sidecars); restartPolicy, dnsPolicy, dnsConfig,
/// nodeSelector, activeDeadlineSeconds, terminationGracePeriodSeconds, hostname, subdomain,
/// serviceAccountName, nodeName, priorityClassName, tolerations, readinessGates, schedulingGates,
/// hostNetwork ports; ephemeral containers are forbidden on create.
///
/// Beyond the API server: an image with whitespace inside (`busy box:1.36`) is rejected here with
/// `invalid reference format`, where a cluster would admit the pod and kubelet would then fail it
/// with `InvalidImageName` (see `imageChecks`).
public enum PodValidation {
    /// Validates a pod as it would be created. The pod should already be defaulted
    /// (`PodDefaulting.apply`), as the API server defaults before it validates.
    public static func validate(_ pod: Pod) -> [FieldError] {
        var errs = validateMetadataAndSpec(pod)
        let spec = FieldPath("spec")
        if !(pod.spec.other["ephemeralContainers"]?.arrayValue ?? []).isEmpty {
            errs.append(.forbidden(spec.child("ephemeralContainers"), "cannot be set on create"))
        }
        if !(pod.spec.nodeName ?? "").isEmpty && !(pod.spec.schedulingGates ?? []).isEmpty {
            errs.append(.forbidden(spec.child("nodeName"), "cannot be set until all schedulingGates have been cleared"))
        }
        return errs
    }

    /// The checks shared by create and update (apiserver's `validatePodMetadataAndSpec`).
    static func validateMetadataAndSpec(_ pod: Pod) -> [FieldError] {
        var errs = validateMetadata(pod.metadata)
        errs += validateSpec(pod.spec)
        let spec = FieldPath("spec")
        errs += imageChecks(pod.spec.containers, spec.child("containers"))
        errs += imageChecks(pod.spec.initContainers ?? [], spec.child("initContainers"))
        return errs
    }

    /// The messages of `validate(_:)` as strings (`<path>: <Type>: <detail>`).
    public static func messages(_ pod: Pod) -> [String] { validate(pod).map(\.description) }

    // MARK: Metadata (ValidateObjectMeta with ValidatePodName)

    static let totalAnnotationSizeLimit = 256 * 1024

    static func validateMetadata(_ m: ObjectMeta) -> [FieldError] {
        var errs: [FieldError] = []
        let meta = FieldPath("metadata")
        let name = m.name ?? ""
        let generateName = m.generateName ?? ""
        if !generateName.isEmpty {
            var masked = generateName
            if masked.count > 1, masked.hasSuffix("-") {
                masked.removeLast()
                masked += "a"
            }
            for msg in NameValidation.dns1123Subdomain(masked) {
                errs.append(.invalid(meta.child("generateName"), generateName, msg))
            }
        }
        if name.isEmpty {
            if generateName.isEmpty { errs.append(.required(meta.child("name"), "name or generateName is required")) }
        } else {
            for msg in NameValidation.dns1123Subdomain(name) { errs.append(.invalid(meta.child("name"), name, msg)) }
        }
        let namespace = m.namespace ?? ""
        if namespace.isEmpty {
            errs.append(.required(meta.child("namespace"), ""))
        } else {
            for msg in NameValidation.dns1123Label(namespace) { errs.append(.invalid(meta.child("namespace"), namespace, msg)) }
        }
        if let g = m.generation, g < 0 { errs.append(.invalid(meta.child("generation"), g, "must be greater than or equal to 0")) }
        errs += validateLabels(m.labels ?? [:], meta.child("labels"))
        errs += validateAnnotations(m.annotations ?? [:], meta.child("annotations"))
        for f in m.finalizers ?? [] {
            for msg in NameValidation.qualifiedName(f) { errs.append(.invalid(meta.child("finalizers"), f, msg)) }
        }
        return errs
    }

    /// metav1validation's `ValidateLabels`: qualified-name keys and label values, both reported
    /// at the map's path (keys in sorted order).
    public static func validateLabels(_ labels: [String: String], _ path: FieldPath) -> [FieldError] {
        var errs: [FieldError] = []
        for k in labels.keys.sorted() {
            for msg in NameValidation.qualifiedName(k) { errs.append(.invalid(path, k, msg)) }
            let v = labels[k]!
            for msg in NameValidation.labelValue(v) { errs.append(.invalid(path, v, msg)) }
        }
        return errs
    }

    /// apimachinery's `ValidateAnnotations`: lower-cased keys must be qualified names; keys and
    /// values together at most 256 KiB.
    public static func validateAnnotations(_ annotations: [String: String], _ path: FieldPath) -> [FieldError] {
        var errs: [FieldError] = []
        var total = 0
        for k in annotations.keys.sorted() {
            for msg in NameValidation.qualifiedName(k.lowercased()) { errs.append(.invalid(path, k, msg)) }
            total += k.utf8.count + annotations[k]!.utf8.count
        }
        if total > totalAnnotationSizeLimit { errs.append(.tooLong(path, maxBytes: totalAnnotationSizeLimit)) }
        return errs
    }

    // MARK: Spec (ValidatePodSpec)

    static func validateSpec(_ spec: PodSpec) -> [FieldError] {
        var errs: [FieldError] = []
        let path = FieldPath("spec")
        let other = JSONValue.object(spec.other)
        let (volumeErrs, volumes) = VolumeValidation.validateVolumes(other.array("volumes"), path.child("volumes"))
        errs += volumeErrs
        let gracePeriod = spec.terminationGracePeriodSeconds
        errs += ContainerValidation.validateContainers(
            spec.containers, volumes: volumes, gracePeriod: gracePeriod,
            path: path.child("containers"))
        errs += ContainerValidation.validateInitContainers(
            spec.initContainers ?? [], regular: spec.containers, volumes: volumes,
            gracePeriod: gracePeriod, path: path.child("initContainers"))
        if spec.hostNetwork == true { errs += hostNetworkPorts(spec, path) }
        errs += validateRestartPolicy(spec.restartPolicy ?? "", path.child("restartPolicy"))
        let dnsPolicy = other.string("dnsPolicy") ?? ""
        errs += validateDNSPolicy(dnsPolicy, path.child("dnsPolicy"))
        if let selector = other.object("nodeSelector")?.objectValue {
            errs += validateLabels(selector.compactMapValues(\.stringValue), path.child("nodeSelector"))
        }
        errs += SecurityContextValidation.validatePodSecurityContext(other.object("securityContext"), path.child("securityContext"))
        if dnsPolicy == "None" && other.object("dnsConfig") == nil {
            errs.append(.required(path.child("dnsConfig"), "must provide `dnsConfig` when `dnsPolicy` is None"))
        }
        for (i, gate) in (spec.readinessGates ?? []).enumerated() {
            let p = path.child("readinessGates").index(i).child("conditionType")
            for msg in NameValidation.qualifiedName(gate.conditionType) { errs.append(.invalid(p, gate.conditionType, msg)) }
        }
        errs += validateSchedulingGates(spec.schedulingGates ?? [], path.child("schedulingGates"))
        for (field, value) in [("serviceAccountName", other.string("serviceAccountName")), ("nodeName", spec.nodeName)] {
            guard let v = value, !v.isEmpty else { continue }
            for msg in NameValidation.dns1123Subdomain(v) { errs.append(.invalid(path.child(field), v, msg)) }
        }
        if let deadline = spec.activeDeadlineSeconds, deadline < 1 || deadline > Int64(Int32.max) {
            errs.append(.invalid(path.child("activeDeadlineSeconds"), deadline, NameValidation.inclusiveRangeError(1, Int64(Int32.max))))
        }
        if let grace = spec.terminationGracePeriodSeconds, grace < 0 {
            errs.append(.invalid(path.child("terminationGracePeriodSeconds"), grace, "must be greater than or equal to 0"))
        }
        for field in ["hostname", "subdomain"] {
            guard let v = other.string(field), !v.isEmpty else { continue }
            for msg in NameValidation.dns1123Label(v) { errs.append(.invalid(path.child(field), v, msg)) }
        }
        errs += TolerationValidation.validate(spec.tolerations ?? [], path.child("tolerations"))
        if let v = other.string("priorityClassName"), !v.isEmpty {
            for msg in NameValidation.dns1123Subdomain(v) { errs.append(.invalid(path.child("priorityClassName"), v, msg)) }
        }
        if let v = other.string("runtimeClassName") {
            for msg in NameValidation.dns1123Subdomain(v) { errs.append(.invalid(path.child("runtimeClassName"), v, msg)) }
        }
        if let v = other.string("preemptionPolicy"), !["PreemptLowerPriority", "Never"].contains(v) {
            errs.append(.notSupported(path.child("preemptionPolicy"), v, ["PreemptLowerPriority", "Never"]))
        }
        if let resources = other.object("resources") {
            errs += ContainerValidation.validateResources(resources, path.child("resources"), podLevel: true)
        }
        return errs
    }

    static func validateRestartPolicy(_ policy: String, _ path: FieldPath) -> [FieldError] {
        switch policy {
        case "Always", "OnFailure", "Never": return []
        case "": return [.required(path)]
        default: return [.notSupported(path, policy, ["Always", "OnFailure", "Never"])]
        }
    }

    static func validateDNSPolicy(_ policy: String, _ path: FieldPath) -> [FieldError] {
        switch policy {
        case "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None": return []
        case "": return [.required(path)]
        default: return [.notSupported(path, policy, ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"])]
        }
    }

    static func validateSchedulingGates(_ gates: [JSONValue], _ path: FieldPath) -> [FieldError] {
        var errs: [FieldError] = []
        var seen = Set<String>()
        for (i, gate) in gates.enumerated() {
            let name = gate.string("name") ?? ""
            let p = path.index(i)
            for msg in NameValidation.qualifiedName(name) { errs.append(.invalid(p, name, msg)) }
            if !seen.insert(name).inserted { errs.append(.duplicate(p, name)) }
        }
        return errs
    }

    /// validatePodHostNetworkDeps: with hostNetwork, each hostPort must equal its containerPort.
    static func hostNetworkPorts(_ spec: PodSpec, _ path: FieldPath) -> [FieldError] {
        var errs: [FieldError] = []
        for (listName, list) in [("containers", spec.containers), ("initContainers", spec.initContainers ?? [])] {
            for (i, c) in list.enumerated() {
                for (j, port) in JSONValue.object(c.other).array("ports").enumerated() {
                    let hp = port.integer("hostPort") ?? 0
                    let cp = port.integer("containerPort") ?? 0
                    if hp != cp {
                        errs.append(
                            .invalid(
                                path.child(listName).index(i).child("ports").index(j).child("hostPort"), hp,
                                "must match `containerPort` when `hostNetwork` is true"))
                    }
                }
            }
        }
        return errs
    }

    /// validateContainersOnlyForPod (no leading or trailing whitespace), plus: whitespace or a
    /// control character inside the reference is `invalid reference format`.
    ///
    /// Other references the grammar refuses (`<your-private-image>`, `Nginx`) are admitted, as
    /// the API server admits them; the runtime side reports them when it pulls (kubelet's
    /// `InvalidImageName`, see `ImageReference.parse`). Whitespace inside a reference is the one
    /// case rejected up front: it is always a mangled value (a quoted YAML scalar, a pasted
    /// command line), never an image name.
    static func imageChecks(_ containers: [Container], _ path: FieldPath) -> [FieldError] {
        var errs: [FieldError] = []
        for (i, c) in containers.enumerated() {
            guard let image = c.image, !image.isEmpty else { continue }
            let p = path.index(i).child("image")
            if image.trimmingCharacters(in: .whitespacesAndNewlines) != image {
                errs.append(.invalid(p, image, "must not have leading or trailing whitespace"))
            } else if image.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F }) {
                errs.append(.invalid(p, image, "invalid reference format"))
            }
        }
        return errs
    }
}

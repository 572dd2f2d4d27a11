import CloneSetAPI
import KubeAPI
import PodAPI

/// What the API server checks of an object before storing it: a Pod as `ValidatePodCreate` and
/// `ValidatePodUpdate` (through PodAPI), other kinds' names as RFC 1123 subdomains.
enum ObjectValidation {
    /// The `Invalid` causes of `object` as created, empty when it is valid.
    static func create(_ resource: APIResource, _ object: JSONValue) -> [APIError.Cause] {
        if resource == .pods {
            let decoded = PodDecoding.decode(object)
            guard let pod = decoded.pod else {
                return decoded.errors.map { APIError.Cause(reason: "FieldValueInvalid", message: $0, field: "") }
            }
            return PodValidation.validate(PodDefaulting.applied(to: pod)).map(cause)
        }
        let name = object["metadata"]?.string("name") ?? ""
        if StorageVersion.isCloneSet(resource) {
            let nameCauses = NameValidation.dns1123Subdomain(name).map {
                APIError.Cause(reason: "FieldValueInvalid", message: "Invalid value: \"\(name)\": \($0)", field: "metadata.name")
            }
            switch RolloutSpecReader.read(object) {
            case .failure(let errors): return nameCauses + errors.errors.map(cause)
            case .success(let spec): return nameCauses + templateCauses(object, policy: spec.podUpdatePolicy)
            }
        }
        return NameValidation.dns1123Subdomain(name).map {
            APIError.Cause(reason: "FieldValueInvalid", message: "Invalid value: \"\(name)\": \($0)", field: "metadata.name")
        }
    }

    /// The causes of a CloneSet's pod template, found by validating a pod made from it exactly as
    /// the controller makes one (name, revision labels, gate), so a set whose pods the API would
    /// refuse is refused itself (kruise's webhook validates the template as a pod), under
    /// `spec.template.*`; a name too long for the revision label shows there too.
    static func templateCauses(_ set: JSONValue, policy: RolloutSpec.PodUpdatePolicy) -> [APIError.Cause] {
        let setName = set["metadata"]?.string("name") ?? ""
        let revision = CloneSetPods.revision(setName: setName, template: set["spec"]?["template"] ?? .object([:]))
        var v1beta1 = set
        v1beta1.set("apiVersion", .string(RolloutSpecReader.v1beta1))
        if set["metadata"]?.string("namespace") == nil {
            v1beta1.set("metadata", (set["metadata"] ?? .object([:])).with("namespace", "default"))
        }
        let pod = CloneSetPods.newPod(set: v1beta1, revision: revision, id: "bbbbb", policy: policy)
        let decoded = PodDecoding.decode(pod)
        guard let decodedPod = decoded.pod else {
            return decoded.errors.map { APIError.Cause(reason: "FieldValueInvalid", message: $0, field: "spec.template") }
        }
        return PodValidation.validate(PodDefaulting.applied(to: decodedPod)).map(cause).map { c in
            var c = c
            c.field = c.field.hasPrefix("metadata.name") ? "metadata.name" : "spec.template." + c.field
            return c
        }
    }

    /// The causes of a pod update (only the fields the API lets change may differ).
    static func update(_ resource: APIResource, old: JSONValue, new: JSONValue) -> [APIError.Cause] {
        guard resource == .pods else { return [] }
        let before = PodDecoding.decode(old)
        let after = PodDecoding.decode(new)
        guard let oldPod = before.pod else { return [] }
        guard let newPod = after.pod else {
            return after.errors.map { APIError.Cause(reason: "FieldValueInvalid", message: $0, field: "") }
        }
        return PodUpdateValidation.validate(old: PodDefaulting.applied(to: oldPod), new: PodDefaulting.applied(to: newPod)).map(cause)
    }

    static func cause(_ error: FieldError) -> APIError.Cause {
        let reason: String
        switch error.kind {
        case .required: reason = "FieldValueRequired"
        case .invalid: reason = "FieldValueInvalid"
        case .duplicate: reason = "FieldValueDuplicate"
        case .notSupported: reason = "FieldValueNotSupported"
        case .forbidden: reason = "FieldValueForbidden"
        case .notFound: reason = "FieldValueNotFound"
        case .tooLong: reason = "FieldValueTooLong"
        case .tooMany: reason = "FieldValueTooMany"
        }
        let full = error.description
        let message = full.hasPrefix(error.path + ": ") ? String(full.dropFirst(error.path.count + 2)) : full
        return APIError.Cause(reason: reason, message: message, field: error.path)
    }
}

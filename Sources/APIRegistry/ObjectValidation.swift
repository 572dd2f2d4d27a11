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
        if StorageVersion.isCloneSet(resource), case .failure(let errors) = RolloutSpecReader.read(object) {
            return NameValidation.dns1123Subdomain(name).map {
                APIError.Cause(reason: "FieldValueInvalid", message: "Invalid value: \"\(name)\": \($0)", field: "metadata.name")
            } + errors.errors.map(cause)
        }
        return NameValidation.dns1123Subdomain(name).map {
            APIError.Cause(reason: "FieldValueInvalid", message: "Invalid value: \"\(name)\": \($0)", field: "metadata.name")
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

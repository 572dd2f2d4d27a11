import PodAPI

/// A field selector (`fieldSelector=spec.nodeName=node-1,status.phase!=Failed`), over the fields
/// the API server lets each kind be selected by. A field an object lacks reads as "".
public struct FieldSelector: Sendable, Hashable {
    public struct Requirement: Sendable, Hashable {
        public var field: String
        public var value: String
        public var equals: Bool

        public init(field: String, value: String, equals: Bool) {
            self.field = field
            self.value = value
            self.equals = equals
        }
    }

    public var requirements: [Requirement]

    public init(requirements: [Requirement]) { self.requirements = requirements }

    /// The fields selectable on each kind, as the API server registers them.
    public static func fields(of resource: APIResource) -> [String] {
        switch resource.kind {
        case "Pod":
            return [
                "metadata.name", "metadata.namespace", "spec.nodeName", "spec.restartPolicy", "spec.schedulerName",
                "spec.serviceAccountName", "spec.hostNetwork", "status.phase", "status.podIP", "status.nominatedNodeName",
            ]
        case "Node": return ["metadata.name", "spec.unschedulable"]
        case "Event":
            return [
                "metadata.name", "metadata.namespace", "involvedObject.kind", "involvedObject.namespace", "involvedObject.name",
                "involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath",
                "reason", "reportingComponent", "source", "type",
            ]
        default: return ["metadata.name", "metadata.namespace"]
        }
    }

    /// Parses `text` for `resource`.
    /// - Throws: `APIError.badRequest`: `"x" is not a known field selector: only "..."`, or an
    ///   unparsable requirement.
    public static func parse(_ text: String, for resource: APIResource) throws(APIError) -> FieldSelector {
        let known = fields(of: resource)
        var requirements: [Requirement] = []
        for part in text.split(separator: ",") {
            let s = String(part)
            var found: Requirement?
            for (op, equals) in [("!=", false), ("==", true), ("=", true)] {
                if let r = s.range(of: op) {
                    found = Requirement(field: String(s[..<r.lowerBound]), value: String(s[r.upperBound...]), equals: equals)
                    break
                }
            }
            guard let requirement = found else { throw .badRequest("invalid selector: '\(text)'; can't understand '\(s)'") }
            guard known.contains(requirement.field) else {
                throw .badRequest(
                    "\"\(requirement.field)\" is not a known field selector: only \(known.map { "\"\($0)\"" }.joined(separator: ", "))")
            }
            requirements.append(requirement)
        }
        return FieldSelector(requirements: requirements)
    }

    /// The value `spec.nodeName=` asks for, if it is a plain equality (the node's own view).
    public func equalityValue(of field: String) -> String? {
        requirements.first { $0.field == field && $0.equals }?.value
    }

    /// Whether `object` satisfies every requirement.
    public func matches(_ object: JSONValue) -> Bool {
        requirements.allSatisfy { r in (Self.value(of: r.field, in: object) == r.value) == r.equals }
    }

    /// The selectable value of a dotted field ("" when absent; bools as "true"/"false").
    public static func value(of field: String, in object: JSONValue) -> String {
        if field == "source" { return object["source"]?["component"]?.stringValue ?? "" }
        var v: JSONValue? = object
        for part in field.split(separator: ".") { v = v?[String(part)] }
        switch v {
        case .string(let s)?: return s
        case .bool(let b)?: return b ? "true" : "false"
        case .integer(let i)?: return String(i)
        default: return ""
        }
    }
}

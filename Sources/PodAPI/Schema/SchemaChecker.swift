/// Walks a manifest document against `PodSchema` as Kubernetes' strict decoder does: every key
/// the API does not define is reported as an unknown field and dropped; every value of the wrong
/// JSON type is an error worded as Go's encoding/json words an `UnmarshalTypeError`
/// (`json: cannot unmarshal <json type> into Go struct field <Struct>.<json.path> of type <Go type>`,
/// where the path joins the JSON names from the document root without list indices, and
/// `<Struct>` is the innermost struct). Quantities and times are checked against their grammars.
public enum SchemaChecker {
    /// Checks `document` (the whole Pod object) against the core/v1 Pod schema.
    public static func checkPod(_ document: JSONValue) -> SchemaCheckResult {
        var w = Walker()
        let cleaned = w.walkStruct(document, PodSchema.root, path: FieldPath(), goStack: [], goStruct: nil) ?? .object([:])
        return SchemaCheckResult(value: cleaned, warnings: w.warnings, errors: w.errors)
    }

    struct Walker {
        var warnings: [String] = []
        var errors: [String] = []

        /// The JSON type as Go names it in `UnmarshalTypeError.Value`.
        static func kind(_ v: JSONValue) -> String { v.goTypeName }

        mutating func typeError(_ v: JSONValue, _ t: SchemaType, goStack: [String], goStruct: String?, numberText: String? = nil) {
            let value = numberText.map { "number \($0)" } ?? Self.kind(v)
            if let s = goStruct {
                errors.append(
                    "json: cannot unmarshal \(value) into Go struct field \(s).\(goStack.joined(separator: ".")) of type \(t.goName)")
            } else {
                errors.append("json: cannot unmarshal \(value) into Go value of type \(t.goName)")
            }
        }

        static func numberText(_ v: JSONValue) -> String? {
            switch v {
            case .integer(let i): return String(i)
            case .number(let d): return d.rounded() == d && abs(d) < 1e21 ? String(format: "%.0f", d) : "\(d)"
            default: return nil
            }
        }

        /// A JSON object walked as struct `name`; nil for null.
        mutating func walkStruct(_ v: JSONValue, _ name: String, path: FieldPath, goStack: [String], goStruct: String?) -> JSONValue? {
            guard let schema = PodSchema.structs[name] else { return v }
            guard case .object(let members) = v else {
                if v == .null { return nil }
                typeError(v, .object(name), goStack: goStack, goStruct: goStruct)
                return nil
            }
            var out: [String: JSONValue] = [:]
            for key in members.keys.sorted() {
                let child = members[key]!
                guard let fieldType = schema.fields[key] else {
                    warnings.append("unknown field \(GoQuote.quote(path.child(key).description))")
                    continue
                }
                if let cleaned = walk(child, fieldType, path: path.child(key), goStack: goStack + [key], goStruct: schema.name) {
                    out[key] = cleaned
                }
            }
            return .object(out)
        }

        /// Any value walked as `t`; nil when it is null or of the wrong type (the error recorded).
        mutating func walk(_ v: JSONValue, _ t: SchemaType, path: FieldPath, goStack: [String], goStruct: String?) -> JSONValue? {
            if v == .null { return nil }
            switch t {
            case .string:
                if case .string = v { return v }
                typeError(v, t, goStack: goStack, goStruct: goStruct)
            case .bool:
                if case .bool = v { return v }
                typeError(v, t, goStack: goStack, goStruct: goStruct)
            case .int32, .int64:
                let range: ClosedRange<Int64> = {
                    if case .int32 = t { return Int64(Int32.min)...Int64(Int32.max) }
                    return Int64.min...Int64.max
                }()
                switch v {
                case .integer(let i) where range.contains(i): return v
                case .integer, .number: typeError(v, t, goStack: goStack, goStruct: goStruct, numberText: Self.numberText(v))
                default: typeError(v, t, goStack: goStack, goStruct: goStruct)
                }
            case .quantity:
                if Quantity.from(v) != nil { return v }
                let shown: String
                switch v {
                case .string(let s): shown = GoQuote.quote(s)
                default: shown = Self.kind(v)
                }
                errors.append("\(path): Invalid value: \(shown): \(Quantity.formatError)")
            case .intOrString:
                switch v {
                case .string: return v
                case .integer(let i) where Int64(Int32.min)...Int64(Int32.max) ~= i: return v
                case .integer, .number:
                    errors.append("\(path): json: cannot unmarshal number \(Self.numberText(v) ?? "") into Go value of type int32")
                default:
                    errors.append("\(path): json: cannot unmarshal \(Self.kind(v)) into Go value of type int32")
                }
            case .time:
                guard case .string(let s) = v else {
                    errors.append("\(path): json: cannot unmarshal \(Self.kind(v)) into Go value of type string")
                    return nil
                }
                if Time.parse(s) != nil { return v }
                errors.append(
                    "\(path): parsing time \(GoQuote.quote(s)) as \"2006-01-02T15:04:05Z07:00\": cannot parse \(GoQuote.quote(s)) as RFC 3339"
                )
            case .object(let name):
                return walkStruct(v, name, path: path, goStack: goStack, goStruct: goStruct)
            case .array(let elem):
                guard case .array(let items) = v else {
                    typeError(v, t, goStack: goStack, goStruct: goStruct)
                    return nil
                }
                var out: [JSONValue] = []
                out.reserveCapacity(items.count)
                for (i, item) in items.enumerated() {
                    if item == .null {
                        out.append(Self.zero(elem))
                        continue
                    }
                    if let c = walk(item, elem, path: path.index(i), goStack: goStack, goStruct: goStruct) { out.append(c) }
                }
                return .array(out)
            case .map(let elem, _):
                guard case .object(let members) = v else {
                    typeError(v, t, goStack: goStack, goStruct: goStruct)
                    return nil
                }
                var out: [String: JSONValue] = [:]
                for key in members.keys.sorted() {
                    let item = members[key]!
                    if item == .null {
                        out[key] = Self.zero(elem)
                        continue
                    }
                    if let c = walk(item, elem, path: path.key(key), goStack: goStack, goStruct: goStruct) { out[key] = c }
                }
                return .object(out)
            case .opaque:
                return v
            }
            return nil
        }

        /// The JSON form of a Go zero value of `t`.
        static func zero(_ t: SchemaType) -> JSONValue {
            switch t {
            case .string, .time: return .string("")
            case .bool: return .bool(false)
            case .int32, .int64, .intOrString: return .integer(0)
            case .quantity: return .string("0")
            case .object: return .object([:])
            case .array, .map, .opaque: return .null
            }
        }
    }
}

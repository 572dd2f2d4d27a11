/// The JSON shape of one API field, with the Go type name Go's decoder prints in a wrong-type
/// error (`[]v1.Container`, `v1.RestartPolicy`, `int32`).
indirect enum SchemaType: Sendable {
    /// A string; the associated value is the Go type name (`string`, `v1.PullPolicy`, `types.UID`).
    case string(String)
    case bool
    case int32
    case int64
    /// `resource.Quantity`: a string (or number) matching the quantity grammar.
    case quantity
    /// `intstr.IntOrString`: a string or an int32.
    case intOrString
    /// `metav1.Time`: an RFC 3339 string (or null).
    case time
    /// A struct of the table in `PodSchema.structs`, by name.
    case object(String)
    case array(SchemaType)
    /// `map[string]T`; `named` is the Go name of a named map type (`v1.ResourceList`).
    case map(SchemaType, named: String?)
    /// Any JSON value, not checked below this point; the associated value is the Go type name.
    case opaque(String)

    /// Shorthands for the schema table.
    static let str = SchemaType.string("string")
    static let strs = SchemaType.array(.str)
    static let strMap = SchemaType.map(.str, named: nil)
    static let resourceList = SchemaType.map(.quantity, named: "v1.ResourceList")
    static func named(_ goName: String) -> SchemaType { .string("v1." + goName) }
    static func obj(_ name: String) -> SchemaType { .object(name) }
    static func list(_ name: String) -> SchemaType { .array(.object(name)) }

    /// The type as Go's `reflect.Type.String()` prints it.
    var goName: String {
        switch self {
        case .string(let n): return n
        case .bool: return "bool"
        case .int32: return "int32"
        case .int64: return "int64"
        case .quantity: return "resource.Quantity"
        case .intOrString: return "intstr.IntOrString"
        case .time: return "v1.Time"
        case .object(let n): return "v1." + n
        case .array(let e): return "[]" + e.goName
        case .map(let e, let named): return named ?? "map[string]" + e.goName
        case .opaque(let n): return n
        }
    }
}

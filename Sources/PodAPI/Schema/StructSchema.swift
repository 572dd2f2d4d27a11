/// One API struct: its Go name and its fields by JSON name. Inline (embedded) structs, such as
/// `ProbeHandler` in `Probe` or `VolumeSource` in `Volume`, are flattened into their parent as Go's
/// decoder sees them.
struct StructSchema: Sendable {
    let name: String
    let fields: [String: SchemaType]

    init(_ name: String, _ fields: [String: SchemaType]) {
        self.name = name
        self.fields = fields
    }

    /// A copy with more fields (for inline structs shared by several parents).
    func adding(_ more: [String: SchemaType], as newName: String? = nil) -> StructSchema {
        StructSchema(newName ?? name, fields.merging(more) { a, _ in a })
    }
}

/// The outcome of checking one manifest document against the Pod schema.
public struct SchemaCheckResult: Hashable, Sendable {
    /// The document with unknown fields removed and JSON nulls replaced as Go's decoder would
    /// (a null field is absent; a null element of a list or map is the element type's zero value).
    public var value: JSONValue
    /// `unknown field "spec.containers[0].imagePullPolicyy"`, one per unknown key, in path order.
    public var warnings: [String]
    /// Wrong JSON types in Go's wording, e.g.
    /// `json: cannot unmarshal string into Go struct field PodSpec.spec.containers of type []v1.Container`.
    public var errors: [String]
}

/// One validation error in the shape of apimachinery's `field.Error`, rendered as
/// `<path>: <Type>: <detail>` exactly as `field.Error.Error()` prints it, e.g.
/// `spec.containers[0].image: Required value` or
/// `spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"`.
public struct FieldError: Hashable, Sendable, CustomStringConvertible, Error {
    /// The `field.ErrorType`s this agent produces, with their printed names.
    public enum Kind: String, Hashable, Sendable {
        case required = "Required value"
        case invalid = "Invalid value"
        case duplicate = "Duplicate value"
        case notSupported = "Unsupported value"
        case forbidden = "Forbidden"
        case notFound = "Not found"
        case tooLong = "Too long"
        case tooMany = "Too many"
    }

    /// The field path, e.g. `spec.containers[0].name`.
    public var path: String
    public var kind: Kind
    /// The offending value, already rendered as Kubernetes prints it (`"MyApp"`, `-30`); nil for
    /// the kinds that print no value (`Required value`, `Forbidden`, `Too long`).
    public var renderedValue: String?
    /// The detail after the value, e.g. `must be between 1 and 2147483647, inclusive`.
    public var detail: String

    /// An error from its parts; the static constructors below render values as Kubernetes does.
    public init(path: String, kind: Kind, renderedValue: String?, detail: String) {
        self.path = path
        self.kind = kind
        self.renderedValue = renderedValue
        self.detail = detail
    }

    /// The whole message: `<path>: <Type>[: <value>][: <detail>]`.
    public var description: String {
        var s = "\(path): \(kind.rawValue)"
        if let v = renderedValue { s += ": \(v)" }
        if !detail.isEmpty { s += ": \(detail)" }
        return s
    }

    // MARK: Constructors named as apimachinery's field package names them.

    /// `field.Required`: `<path>: Required value[: detail]`.
    public static func required(_ path: FieldPath, _ detail: String = "") -> FieldError {
        FieldError(path: path.description, kind: .required, renderedValue: nil, detail: detail)
    }

    /// `field.Invalid` with a string value, printed Go-quoted (`%q`).
    public static func invalid(_ path: FieldPath, _ value: String, _ detail: String) -> FieldError {
        FieldError(path: path.description, kind: .invalid, renderedValue: GoQuote.quote(value), detail: detail)
    }

    /// `field.Invalid` with an integer value, printed bare (`%v`).
    public static func invalid(_ path: FieldPath, _ value: Int64, _ detail: String) -> FieldError {
        FieldError(path: path.description, kind: .invalid, renderedValue: String(value), detail: detail)
    }

    /// `field.Invalid` with a value rendered by the caller (e.g. JSON of a struct).
    public static func invalid(_ path: FieldPath, rendered: String, _ detail: String) -> FieldError {
        FieldError(path: path.description, kind: .invalid, renderedValue: rendered, detail: detail)
    }

    /// `field.Duplicate`: `<path>: Duplicate value: "<v>"`.
    public static func duplicate(_ path: FieldPath, _ value: String) -> FieldError {
        FieldError(path: path.description, kind: .duplicate, renderedValue: GoQuote.quote(value), detail: "")
    }

    /// `field.NotSupported`: `<path>: Unsupported value: "<v>": supported values: "a", "b"`.
    public static func notSupported(_ path: FieldPath, _ value: String, _ supported: [String]) -> FieldError {
        let list = supported.map(GoQuote.quote).joined(separator: ", ")
        return FieldError(
            path: path.description, kind: .notSupported, renderedValue: GoQuote.quote(value),
            detail: supported.isEmpty ? "" : "supported values: \(list)")
    }

    /// `field.Forbidden`: `<path>: Forbidden: <detail>`.
    public static func forbidden(_ path: FieldPath, _ detail: String) -> FieldError {
        FieldError(path: path.description, kind: .forbidden, renderedValue: nil, detail: detail)
    }

    /// `field.NotFound`: `<path>: Not found: "<v>"`.
    public static func notFound(_ path: FieldPath, _ value: String) -> FieldError {
        FieldError(path: path.description, kind: .notFound, renderedValue: GoQuote.quote(value), detail: "")
    }

    /// `field.TooLong` as apimachinery prints it: `<path>: Too long: may not be more than N bytes`.
    public static func tooLong(_ path: FieldPath, maxBytes: Int) -> FieldError {
        FieldError(
            path: path.description, kind: .tooLong, renderedValue: nil,
            detail: "may not be more than \(maxBytes) \(maxBytes == 1 ? "byte" : "bytes")")
    }
}

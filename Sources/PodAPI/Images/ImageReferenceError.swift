/// An image reference that cannot be parsed, in the docker distribution reference package's
/// wording: `invalid reference format`,
/// `invalid reference format: repository name (library/Nginx) must be lowercase`, ...
public struct ImageReferenceError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    /// An error with `message`.
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// A manifest that could not be parsed into a JSON value: bad UTF-8, a YAML or JSON syntax error,
/// a duplicate key, an alias bomb, too deep a nesting. `message` is in the parser's own wording,
/// as go-yaml (`yaml: line 10: mapping values are not allowed in this context`) or Go's
/// encoding/json (`json: line 13: invalid character '}' looking for beginning of object key string`)
/// print it, with 1-based line numbers.
public struct ManifestSyntaxError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The whole message, e.g. `yaml: line 5: found character that cannot start any token`.
    public var message: String
    /// The 1-based line the problem was found on, when known.
    public var line: Int?

    /// An error with the whole `message` and its 1-based `line`.
    public init(message: String, line: Int?) {
        self.message = message
        self.line = line
    }

    public var description: String { message }
}

/// A token file that cannot be used: its path, the 1-based line (0: the whole file) and why.
public struct TokenFileError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var line: Int
    public var reason: String
    public var description: String { line == 0 ? "token file \(path): \(reason)" : "token file \(path) line \(line): \(reason)" }
}

/// A key/value pair of a container's environment.
public struct KeyValue: Sendable, Hashable, Codable {
    public var key: String
    public var value: String
    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}

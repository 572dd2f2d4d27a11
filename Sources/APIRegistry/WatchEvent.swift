import PodAPI

/// One line of a watch: `{"type":"ADDED|MODIFIED|DELETED|BOOKMARK|ERROR","object":{...}}`.
public struct WatchEvent: Sendable, Hashable {
    public enum EventType: String, Sendable, Hashable {
        case added = "ADDED"
        case modified = "MODIFIED"
        case deleted = "DELETED"
        case bookmark = "BOOKMARK"
        case error = "ERROR"
    }

    public var type: EventType
    public var object: JSONValue
    /// The store revision of the event (the object's resourceVersion; a bookmark's version).
    public var revision: Int64

    public init(type: EventType, object: JSONValue, revision: Int64) {
        self.type = type
        self.object = object
        self.revision = revision
    }

    /// The line as the API server writes it (with its trailing newline).
    public func line() -> [UInt8] {
        var out: [UInt8] = Array("{\"type\":\"\(type.rawValue)\",\"object\":".utf8)
        object.write(into: &out)
        out.append(contentsOf: "}\n".utf8)
        return out
    }
}

import Foundation

/// A core/v1 EventList.
public struct EventList: Codable, Hashable, Sendable {
    public var apiVersion: String = "v1"
    public var kind: String = "EventList"
    public var metadata: ListMeta = ListMeta()
    public var items: [Event]
    public init(items: [Event]) { self.items = items }
}

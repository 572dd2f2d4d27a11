import Foundation

/// The `metadata` of a list; empty here.
public struct ListMeta: Codable, Hashable, Sendable {
    public var resourceVersion: String?
    public init() {}
}

import Foundation

/// A core/v1 PodList, as `GET /v1/pods` answers.
public struct PodList: Codable, Hashable, Sendable {
    public var apiVersion: String = "v1"
    public var kind: String = "PodList"
    public var metadata: ListMeta = ListMeta()
    public var items: [Pod]

    public init(items: [Pod]) { self.items = items }
}

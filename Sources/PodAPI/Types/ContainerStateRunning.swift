import Foundation

public struct ContainerStateRunning: Codable, Hashable, Sendable {
    public var startedAt: Time?
    public init(startedAt: Time?) { self.startedAt = startedAt }
}

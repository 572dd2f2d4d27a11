import Foundation

public struct ContainerStateWaiting: Codable, Hashable, Sendable {
    public var reason: String?
    public var message: String?
    public init(reason: String?, message: String? = nil) {
        self.reason = reason
        self.message = message
    }
}

import Foundation

/// One IP of a pod (`status.podIPs[*]`).
public struct PodIP: Codable, Hashable, Sendable {
    public var ip: String
    public init(ip: String) { self.ip = ip }
}

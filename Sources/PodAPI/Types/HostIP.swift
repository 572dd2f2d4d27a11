import Foundation

/// One IP of the node (`status.hostIPs[*]`).
public struct HostIP: Codable, Hashable, Sendable {
    public var ip: String
    public init(ip: String) { self.ip = ip }
}

import Foundation

/// A core/v1 PodStatus, as kubelet reports it.
public struct PodStatus: Codable, Hashable, Sendable {
    /// `Pending`, `Running`, `Succeeded`, `Failed` or `Unknown`.
    public var phase: String?
    public var conditions: [PodCondition]?
    public var message: String?
    public var reason: String?
    public var hostIP: String?
    public var hostIPs: [HostIP]?
    public var podIP: String?
    public var podIPs: [PodIP]?
    public var startTime: Time?
    public var initContainerStatuses: [ContainerStatus]?
    public var containerStatuses: [ContainerStatus]?
    public var qosClass: String?

    public init(phase: String? = nil) { self.phase = phase }

    /// The condition of `type`, if present.
    public func condition(_ type: String) -> PodCondition? {
        conditions?.first { $0.type == type }
    }
}

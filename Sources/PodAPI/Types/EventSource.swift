import Foundation

/// Who recorded an event: `component` `kubelet`-like (`inplaced`) and the node's name as `host`.
public struct EventSource: Codable, Hashable, Sendable {
    public var component: String?
    public var host: String?
    public init(component: String?, host: String?) {
        self.component = component
        self.host = host
    }
}

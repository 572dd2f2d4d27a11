import Foundation
import Logging
import PodAPI
import Prober
import StateStore

/// What a container's probes make of its status: `started` (startup probe passed, or none) and
/// `ready` (started, and the readiness probe passed or there is none). Both false unless running.
public struct ContainerProbeStatus: Sendable, Hashable {
    public var started: Bool
    public var ready: Bool
    public init(started: Bool, ready: Bool) {
        self.started = started
        self.ready = ready
    }
}

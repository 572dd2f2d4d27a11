import ContainerRuntime
import PodAPI

/// The seam between the agent's prober manager and the probe handlers (kubelet's `prober`):
/// runs one probe once and says what it found. Implementations must return within about the
/// probe's `timeoutSeconds` and never throw.
public protocol ProbeHandler: Sendable {
    func run(_ probe: Probe, target: ProbeTarget) async -> ProbeOutcome
}

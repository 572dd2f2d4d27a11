import Foundation
import PodAPI
import StateStore

/// The next thing to do for an in-place update at the step it has reached (the eight steps of
/// docs/design.md): a pure function of the stored update, the desired container and the time.
/// The executor (``InPlaceUpdater``) carries it out, persists the step it leads to, and asks
/// again until the update has to wait or ends.
enum InPlaceStepAction: Equatable, Sendable {
    /// End the update as Failed with this message (superseded before the old container stopped).
    case fail(String)
    /// Persist the move to `step` and go on (Detected -> PrePulling, Grace over -> Stopped).
    case moveTo(UpdateStep)
    /// Nothing before `date` (a pull back-off, the grace period).
    case wait(until: Date)
    /// Pull the new image while the old container serves; then close the gate (`closeGate`, the
    /// pod declares InPlaceUpdateReady) or go straight to the grace period.
    case pull(thenCloseGate: Bool)
    /// The gate is closed (and published): start the grace period.
    case enterGrace
    /// Stop and remove the old container, recording its termination as lastState.
    case stopOld
    /// Create and start the new container in the same sandbox (restartCount + 1).
    case startNew
    /// Wait for the new container to be ready (its probes), then complete.
    case verify
    /// The update ended: forget it in this run.
    case forget

    /// The action for `update` at `now`. `superseded`: the desired container's hash is no longer
    /// the update's target; before the old container stops, the update is abandoned for a new one.
    static func next(_ update: InPlaceUpdateRecord, superseded: Bool, hasGate: Bool, desiredImage: String, now: Date)
        -> InPlaceStepAction
    {
        if superseded, update.step.isBeforeStop {
            return .fail("superseded: the spec now asks for image \"\(desiredImage)\"")
        }
        switch update.step {
        case .detected:
            return .moveTo(.prePulling)
        case .prePulling:
            if let next = update.nextAttemptAt, next > now { return .wait(until: next) }
            return .pull(thenCloseGate: hasGate)
        case .gateClosed:
            return .enterGrace
        case .grace:
            if let deadline = update.graceDeadline, deadline > now { return .wait(until: deadline) }
            return .moveTo(.stopped)
        case .stopped:
            return .stopOld
        case .started:
            return .startNew
        case .verified:
            return .verify
        case .completed, .failed:
            return .forget
        }
    }
}

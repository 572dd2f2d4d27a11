/// The steps of an in-place container update, in the order they are taken
/// (docs/design.md, "The in-place update in eight steps"): the one model of the step, used by the
/// agent's decisions, its records and its history; the status API's `InPlaceUpdate.Step` is its
/// wire form (same raw values).
public enum UpdateStep: String, Sendable, Hashable, CaseIterable, Codable {
    case detected = "Detected"
    case prePulling = "PrePulling"
    case gateClosed = "GateClosed"
    case grace = "Grace"
    case stopped = "Stopped"
    case started = "Started"
    case verified = "Verified"
    case completed = "Completed"
    case failed = "Failed"

    /// True for `Completed` and `Failed`: an update in such a step is finished and never resumed.
    public var isTerminal: Bool { self == .completed || self == .failed }

    /// The raw values of the terminal steps, as stored.
    static let terminalRawValues: [String] = allCases.filter(\.isTerminal).map(\.rawValue)
}

import StateStore

extension UpdateStep {
    /// Steps at which the old container still runs: a superseded update may still be abandoned.
    var isBeforeStop: Bool {
        switch self {
        case .detected, .prePulling, .gateClosed, .grace: return true
        default: return false
        }
    }
}

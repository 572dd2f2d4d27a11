import Synchronization

/// Who leads when, as the electors' `work` closures report it; counts overlapping terms.
final class LeadershipLog: Sendable {
    private let state = Mutex<(leading: Set<String>, terms: [String], maxConcurrent: Int)>(([], [], 0))

    func began(_ identity: String) {
        state.withLock { state in
            state.leading.insert(identity)
            state.terms.append(identity)
            state.maxConcurrent = max(state.maxConcurrent, state.leading.count)
        }
    }

    func ended(_ identity: String) { _ = state.withLock { $0.leading.remove(identity) } }

    var leading: Set<String> { state.withLock { $0.leading } }
    var terms: [String] { state.withLock { $0.terms } }
    var maxConcurrent: Int { state.withLock { $0.maxConcurrent } }
}

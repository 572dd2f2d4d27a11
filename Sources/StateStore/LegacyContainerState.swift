import Foundation

/// A v1 database's container state: the Kubernetes ContainerState JSON that schema v1 kept in
/// `containers.stateJSON` and `lastStateJSON` (times as RFC 3339 strings). Read only by the v2
/// migration, which turns every row into a ``ContainerLifecycle``.
struct LegacyContainerState: Decodable {
    struct Waiting: Decodable {
        var reason: String?
        var message: String?
    }
    struct Running: Decodable {
        var startedAt: String?
    }
    struct Terminated: Decodable {
        var exitCode: Int32
        var signal: Int32?
        var reason: String?
        var message: String?
        var startedAt: String?
        var finishedAt: String?
        var containerID: String?
    }

    var waiting: Waiting?
    var running: Running?
    var terminated: Terminated?

    /// Decodes `json`; text that is not a ContainerState reads as the empty state.
    static func parse(_ json: String) -> LegacyContainerState {
        (try? JSONDecoder().decode(LegacyContainerState.self, from: Data(json.utf8)))
            ?? LegacyContainerState()
    }

    /// The lifecycle a v1 row meant. v1 told its own steps apart by convention: waiting as
    /// `ContainerCreating` with no message was a start's intent (no container ID) or a created
    /// container whose start was unconfirmed (with an ID).
    static func lifecycle(stateJSON: String, containerID: String?) -> ContainerLifecycle {
        let state = parse(stateJSON)
        if let t = state.terminated { return .exited(t.termination) }
        if let r = state.running { return .running(startedAt: r.startedAt.flatMap(parseTime)) }
        if let w = state.waiting {
            let reason = w.reason ?? ""
            let message = (w.message ?? "").isEmpty ? nil : w.message
            if reason == "ContainerCreating" && message == nil {
                return containerID == nil ? .creating : .created
            }
            return .waiting(reason: reason, message: message)
        }
        return .unknown
    }

    /// The last termination a v1 row kept in `lastStateJSON` (v1 only ever put a terminated
    /// state or `{}` there).
    static func lastTermination(lastStateJSON: String) -> ContainerTermination? {
        parse(lastStateJSON).terminated?.termination
    }

    /// RFC 3339, with or without fractional seconds.
    static func parseTime(_ text: String) -> Date? {
        if let d = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text) { return d }
        return try? Date.ISO8601FormatStyle().parse(text)
    }

    init() {}
}

extension LegacyContainerState.Terminated {
    var termination: ContainerTermination {
        ContainerTermination(
            exitCode: exitCode, signal: signal, reason: reason, message: message,
            startedAt: startedAt.flatMap(LegacyContainerState.parseTime),
            finishedAt: finishedAt.flatMap(LegacyContainerState.parseTime), containerID: containerID)
    }
}

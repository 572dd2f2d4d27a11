/// Which CRI connection a call goes on, and when a connection is replaced: a pure state machine
/// (no I/O), driven by ``CRIConnections``.
///
/// Why: containerd's gRPC server (grpc-go) answers request data with a BDP-estimation PING, so a
/// connection receives about one PING per call, and SwiftNIO HTTP/2 closes a connection whose
/// peer sends more than 200 PING/SETTINGS frames within 30 s (its `ExcessiveControlFrames` DoS
/// heuristic, not configurable through grpc-swift-nio-transport). Every call in flight on it then
/// fails with "Stream unexpectedly closed". So each connection carries at most
/// `callsPerConnection` calls over its whole life (default 100, half the limit, leaving room for
/// the SETTINGS frames BDP updates send); the next call opens a new connection, and the old one
/// is shut down gracefully once its last call has finished.
///
/// Lanes are numbered 0, 1, 2, …; lane 0 exists from the start.
struct ConnectionRotation: Sendable, Equatable {
    /// The most calls one connection carries, ≥ 1.
    let callsPerConnection: Int
    /// The lane new calls go on.
    private(set) var current = 0
    /// Calls started on ``current`` so far.
    private(set) var callsOnCurrent = 0
    /// Calls started and not yet finished, by lane (lanes with none are absent).
    private(set) var inFlight: [Int: Int] = [:]
    /// Replaced lanes that still have calls in flight; shut down when the last one finishes.
    private(set) var draining: Set<Int> = []

    init(callsPerConnection: Int) {
        precondition(callsPerConnection >= 1, "callsPerConnection must be at least 1")
        self.callsPerConnection = callsPerConnection
    }

    /// What ``acquire()`` asks the caller to do besides making its call.
    struct Acquired: Equatable {
        /// The lane the call goes on.
        var lane: Int
        /// True when `lane` is new: open it (and run it) before the call.
        var opensLane: Bool
        /// A replaced lane with no call in flight: shut it down now.
        var shutsDown: Int?
    }

    /// True when the next call goes on a new lane.
    var rotatesNext: Bool { callsOnCurrent >= callsPerConnection }

    /// Starts a call: on the current lane, or on a new one when the current lane has carried
    /// ``callsPerConnection`` calls and `canOpen` (false when a new connection could not be
    /// made: the call then stays on the current lane, over budget).
    mutating func acquire(canOpen: Bool = true) -> Acquired {
        var result = Acquired(lane: current, opensLane: false, shutsDown: nil)
        if rotatesNext && canOpen {
            let replaced = current
            if inFlight[replaced, default: 0] == 0 {
                result.shutsDown = replaced
            } else {
                draining.insert(replaced)
            }
            current += 1
            callsOnCurrent = 0
            result.lane = current
            result.opensLane = true
        }
        callsOnCurrent += 1
        inFlight[current, default: 0] += 1
        return result
    }

    /// Ends a call started with ``acquire()`` on `lane`.
    /// - Returns: `lane` when it was replaced and this was its last call: shut it down now.
    mutating func release(lane: Int) -> Int? {
        guard let count = inFlight[lane] else { return nil }
        if count > 1 {
            inFlight[lane] = count - 1
            return nil
        }
        inFlight[lane] = nil
        guard draining.remove(lane) != nil else { return nil }
        return lane
    }
}

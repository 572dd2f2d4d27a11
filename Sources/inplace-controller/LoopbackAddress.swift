import Synchronization

/// The URL this process serves on, known once the server has bound its port; the loops that
/// are clients of the server wait for it.
final class LoopbackAddress: Sendable {
    private let state = Mutex<(url: String?, waiters: [CheckedContinuation<String, Never>])>((nil, []))

    func set(_ url: String) {
        let waiters = state.withLock { s in
            s.url = url
            defer { s.waiters = [] }
            return s.waiters
        }
        for w in waiters { w.resume(returning: url) }
    }

    func wait() async -> String {
        await withCheckedContinuation { c in
            let now = state.withLock { s -> String? in
                if let url = s.url { return url }
                s.waiters.append(c)
                return nil
            }
            if let now { c.resume(returning: now) }
        }
    }

    /// The URL to reach a server bound to `bindAddress` from the same host (a wildcard address
    /// is reached on loopback).
    static func url(scheme: String, bindAddress: String, port: Int) -> String {
        switch bindAddress {
        case "0.0.0.0", "": return "\(scheme)://127.0.0.1:\(port)"
        case "::", "[::]": return "\(scheme)://[::1]:\(port)"
        default: return bindAddress.contains(":") ? "\(scheme)://[\(bindAddress)]:\(port)" : "\(scheme)://\(bindAddress):\(port)"
        }
    }
}

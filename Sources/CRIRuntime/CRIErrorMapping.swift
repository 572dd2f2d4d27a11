import ContainerRuntime
import GRPCCore

/// Turns what a CRI call threw (a gRPC `RPCError`, a gRPC client `RuntimeError`, cancellation)
/// into the agent's ``ContainerRuntime/RuntimeError``, naming the CRI call.
///
/// - `unavailable` (socket missing, connection refused or reset): `.unavailable(call:detail:)`,
///   the detail naming the endpoint and gRPC's reason.
/// - `deadlineExceeded` of the client's own deadline: `.unavailable(call:detail: "deadline
///   exceeded after N s")`. The runtime also answers `deadlineExceeded` for a limit of its own
///   (containerd, ExecSync past its `timeout`: `failed to exec in container: timeout 1s exceeded:
///   context deadline exceeded`); when the call ended well before the client's deadline
///   (`elapsedSeconds` given and under 90 % of it) that is `.failed` with the runtime's message.
/// - `notFound`: `.notFound(call:kind:id:)` only when the call asked about one object (its
///   ``Subject``) and the runtime's message says that object is missing, e.g. containerd's
///   `an error occurred when try to find container "<id>": not found`. A `notFound` about anything
///   else, in particular an image (`failed to resolve image "…": not found` from CreateContainer,
///   `failed to get image "sha256:…"` from ContainerStatus after the image was removed), is
///   `.failed`, so that a missing image never reads as a missing container.
/// - `cancelled` and task cancellation: `.unavailable(call:detail: "cancelled")`.
/// - A client that was shut down: `.unavailable`, saying so.
/// - Anything else: `.failed(call:detail:)` with the runtime's message.
public enum CRIErrorMapping {
    /// The object a call is about, for telling "that object is missing" from other `notFound`s.
    public struct Subject: Sendable, Hashable {
        /// `container` or `sandbox` (the kinds ``ContainerRuntime/RuntimeError/notFound(call:kind:id:)`` uses).
        public var kind: String
        public var id: String
        public init(kind: String, id: String) {
            self.kind = kind
            self.id = id
        }
        public static func container(_ id: String) -> Self { .init(kind: "container", id: id) }
        public static func sandbox(_ id: String) -> Self { .init(kind: "sandbox", id: id) }
    }

    /// Maps `error`, thrown by CRI call `call` to `endpoint` with a deadline of `timeoutSeconds`.
    /// `clientRunning` false adds a hint when a call waited for connections that never ran.
    /// `elapsedSeconds`, when known, is how long the call ran.
    public static func map(
        _ error: any Error, call: String, endpoint: String, timeoutSeconds: Double,
        subject: Subject? = nil, clientRunning: Bool = true,
        elapsedSeconds: Double? = nil
    ) -> ContainerRuntime.RuntimeError {
        if let mapped = error as? ContainerRuntime.RuntimeError { return mapped }
        if error is CancellationError { return .unavailable(call: call, detail: "cancelled") }
        if let clientError = error as? GRPCCore.RuntimeError {
            if clientError.code == .clientIsStopped {
                return .unavailable(call: call, detail: "the CRI client for \(endpoint) is shut down")
            }
            return .failed(call: call, detail: "gRPC client error: \(clientError.message)")
        }
        guard let rpcError = error as? RPCError else {
            return .failed(call: call, detail: "\(error)")
        }
        switch rpcError.code {
        case .unavailable:
            return .unavailable(call: call, detail: "cannot reach the runtime at \(endpoint): \(reason(of: rpcError))")
        case .deadlineExceeded:
            if let elapsedSeconds, elapsedSeconds < timeoutSeconds * 0.9, !rpcError.message.isEmpty {
                return .failed(call: call, detail: rpcError.message)
            }
            var detail = "deadline exceeded after \(timeoutSeconds.secondsText)"
            if !clientRunning {
                detail += " (the CRI client's connections to \(endpoint) are not running: run() was not called or has ended)"
            }
            return .unavailable(call: call, detail: detail)
        case .cancelled:
            return .unavailable(call: call, detail: "cancelled")
        case .notFound:
            if let subject, says(rpcError.message, isMissing: subject) {
                return .notFound(call: call, kind: subject.kind, id: subject.id)
            }
            return .failed(call: call, detail: rpcError.message)
        default:
            return .failed(call: call, detail: rpcError.message.isEmpty ? "\(rpcError.code)" : rpcError.message)
        }
    }

    /// Whether a runtime's not-found message is about `subject` itself. containerd:
    /// `an error occurred when try to find container "<id>": not found`,
    /// `an error occurred when try to find sandbox: not found`, `failed to find sandbox id "<id>"`;
    /// CRI-O: `could not find container "<id>"`, `could not find pod "<id>"`. A message that
    /// mentions an image is about the image, never the subject.
    public static func says(_ message: String, isMissing subject: Subject) -> Bool {
        let lower = message.lowercased()
        if lower.contains("image") { return false }
        let names = subject.kind == "sandbox" ? ["sandbox", "pod"] : [subject.kind]
        for name in names {
            if lower.contains("find \(name)") || lower.contains("\(name) not found")
                || lower.contains("\(name) \"\(subject.id.lowercased())\"") || lower.contains("\(name) with id")
            {
                return true
            }
        }
        return !subject.id.isEmpty && message.contains(subject.id)
    }

    /// gRPC's message plus its innermost cause (e.g. the connect error), without repeating.
    static func reason(of error: RPCError) -> String {
        var parts = [error.message]
        var cause = error.cause
        var depth = 0
        while let current = cause, depth < 4 {
            let text: String
            if let inner = current as? RPCError {
                text = inner.message
                cause = inner.cause
            } else if let inner = current as? GRPCCore.RuntimeError {
                text = inner.message
                cause = inner.cause
            } else {
                text = "\(current)"
                cause = nil
            }
            if !text.isEmpty, !parts.contains(where: { $0.contains(text) }) { parts.append(text) }
            depth += 1
        }
        return parts.filter { !$0.isEmpty }.joined(separator: ": ")
    }
}

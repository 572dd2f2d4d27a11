import ContainerRuntime

/// An `exec` probe: the command runs in the container through the runtime's ExecSync, at most
/// `timeoutSeconds`. Exit code 0 is a success; another code is a failure whose output is the
/// command's combined stdout and stderr; a timeout is a failure `command "<cmd>" timed out`; a
/// runtime error is an error (kubelet: probe errored, unknown state).
public struct ExecProber: Sendable {
    let runtime: any RuntimeService

    public init(runtime: any RuntimeService) { self.runtime = runtime }

    /// Extra seconds the agent waits past `timeoutSeconds` for a runtime that does not enforce it.
    static let slackSeconds: Int64 = 1

    public func probe(containerID: String, command: [String], timeoutSeconds: Int64) async -> ProbeOutcome {
        let timedOut = ProbeOutcome.failure(output: "command \(Self.goQuote(command.joined(separator: " "))) timed out")
        let runtime = self.runtime
        do {
            let result = try await withThrowingTaskGroup(of: ExecResult?.self) { group in
                group.addTask { try await runtime.execSync(id: containerID, command: command, timeoutSeconds: timeoutSeconds) }
                group.addTask {
                    try await Task.sleep(nanoseconds: UInt64(timeoutSeconds + Self.slackSeconds) * 1_000_000_000)
                    return nil
                }
                defer { group.cancelAll() }
                return try await group.next() ?? nil
            }
            guard let result else { return timedOut }
            let output = result.stdout + result.stderr
            return result.exitCode == 0 ? .success(output: output) : .failure(output: output)
        } catch {
            if Task.isCancelled { return .error(message: "probe cancelled") }
            let text = "\(error)"
            if Self.isTimeout(text) { return timedOut }
            return .error(message: text)
        }
    }

    /// Whether a runtime error says the exec ran out of time (CRI: DeadlineExceeded).
    static func isTimeout(_ text: String) -> Bool {
        let t = text.lowercased()
        return t.contains("deadline exceeded") || t.contains("deadlineexceeded") || t.contains("timed out") || t.contains("timeout")
    }

    /// A string quoted as Go's `%q` quotes it (for printable text: backslash-escaped quotes and
    /// backslashes, `\n`, `\t`, `\r`).
    static func goQuote(_ s: String) -> String {
        var out = "\""
        for ch in s.unicodeScalars {
            switch ch {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if ch.value < 0x20 || ch.value == 0x7f {
                    let h = String(ch.value, radix: 16)
                    out += "\\x" + (h.count < 2 ? "0" : "") + h
                } else {
                    out.unicodeScalars.append(ch)
                }
            }
        }
        return out + "\""
    }
}

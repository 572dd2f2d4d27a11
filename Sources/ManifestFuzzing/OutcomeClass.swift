import PodAPI

/// Sorts load results into outcome classes: `accepted`, `empty`, and one `rejected: <kind>` per
/// distinct kind of error message, where the kind is the message without its field path, line
/// numbers, quoted values and numbers (`rejected: Invalid value: "…": must be no more than N
/// characters`). The number of distinct classes says how much of the reader a run reached.
public enum OutcomeClass {
    /// The classes of one result, each once.
    public static func classes(of result: ManifestLoadResult) -> Set<String> {
        var out: Set<String> = []
        if !result.pods.isEmpty { out.insert("accepted") }
        if result.pods.isEmpty && result.errors.isEmpty { out.insert("empty") }
        for error in result.errors { out.insert("rejected: " + kind(of: error.message)) }
        return out
    }

    /// Whether the message is one the reader should never print: an internal error, or a
    /// problem it failed to put in words. Such outcomes are findings as much as crashes are.
    public static func isSuspicious(_ message: String) -> Bool {
        message.contains("internal error") || message.contains("Swift.") || message.contains("DecodingError")
            || message.contains("Optional(")
    }

    /// The message's kind: without its field path, line numbers, quoted text and numbers, and at
    /// most 100 characters.
    public static func kind(of message: String) -> String {
        var m = Substring(message)
        // `yaml: line 3: ...` and `json: line 3: ...`: keep the prefix, drop the line.
        for prefix in ["yaml: ", "json: "] where m.hasPrefix(prefix) {
            var rest = m.dropFirst(prefix.count)
            if rest.hasPrefix("line "), let colon = rest.firstIndex(of: ":") {
                rest = rest[rest.index(after: colon)...].drop(while: { $0 == " " })
            }
            m = Substring(prefix) + rest
        }
        // `spec.containers[0].image: Required value`: drop a leading field path (no spaces).
        if let colon = m.range(of: ": "), !m[..<colon.lowerBound].contains(" "), !m.hasPrefix("yaml"), !m.hasPrefix("json") {
            m = m[colon.upperBound...]
        }
        var out = ""
        var quote: Character? = nil
        var lastDigit = false
        var previous: Character = " "
        for c in m {
            defer { previous = c }
            if let q = quote {
                if c == q {
                    quote = nil
                    out.append(q)
                }
                continue
            }
            // A quote opens quoted text unless it is an apostrophe (`couldn't`).
            if c == "\"" || c == "`" || (c == "'" && !previous.isLetter) {
                quote = c
                out += "\(c)…"
                lastDigit = false
                continue
            }
            // Digits, and hex digits after `0x`, are one `N`.
            if c.isASCII && (c.isNumber || (lastDigit && c.isHexDigit) || (c == "x" && previous == "0" && lastDigit)) {
                if !lastDigit { out.append("N") }
                lastDigit = true
                continue
            }
            lastDigit = false
            out.append(c)
            if out.count >= 100 { break }
        }
        return out
    }
}

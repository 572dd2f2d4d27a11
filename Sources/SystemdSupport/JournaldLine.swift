import Logging

/// The text of one journal line: `<N>label: message key=value ...` (no trailing newline), where `N`
/// is the syslog priority journald reads from the `<N>` prefix of a stdout line.
public enum JournaldLine {
    /// The syslog priority of `level` (RFC 5424 severity): trace and debug 7, info 6, notice 5,
    /// warning 4, error 3, critical 2.
    public static func priority(of level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }

    /// Formats one message. `metadata` follows the message sorted by key, as `key=value` (see
    /// `render(_:)` for arrays and dictionaries); a value is
    /// quoted (`"..."`, with `\` `"` and control characters escaped) when it is empty or holds a
    /// space, a quote, a backslash, `=` or a control character. Line breaks in `message` are written
    /// as `\n` so that one message stays one journal entry.
    public static func format(level: Logger.Level, label: String, message: String, metadata: Logger.Metadata) -> String {
        var line = "<\(priority(of: level))>"
        if !label.isEmpty { line += label + ": " }
        line += escapeLineBreaks(message)
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) {
            line += " " + escapeLineBreaks(key) + "=" + quotedIfNeeded(render(value))
        }
        return line
    }

    /// A metadata value as text: strings as they are, arrays `[a, b]`, dictionaries `[k: v]` sorted
    /// by key (elements unquoted; the whole is quoted by `quotedIfNeeded` when it needs to be).
    public static func render(_ value: Logger.MetadataValue) -> String {
        switch value {
        case .string(let s): s
        case .stringConvertible(let c): c.description
        case .array(let items): "[" + items.map(render).joined(separator: ", ") + "]"
        case .dictionary(let d): "[" + d.sorted { $0.key < $1.key }.map { "\($0.key): \(render($0.value))" }.joined(separator: ", ") + "]"
        }
    }

    /// `value` as is, or quoted and escaped when it is empty or holds a space, `"`, `\`, `=` or a
    /// control character.
    public static func quotedIfNeeded(_ value: String) -> String {
        let needsQuotes =
            value.isEmpty
            || value.unicodeScalars.contains { s in
                s == " " || s == "\"" || s == "\\" || s == "=" || s.properties.generalCategory == .control
            }
        guard needsQuotes else { return value }
        var out = "\""
        for s in value.unicodeScalars {
            switch s {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if s.properties.generalCategory == .control {
                    out += "\\u{" + String(s.value, radix: 16) + "}"
                } else {
                    out.unicodeScalars.append(s)
                }
            }
        }
        return out + "\""
    }

    private static func escapeLineBreaks(_ text: String) -> String {
        guard text.contains(where: { $0.isNewline }) else { return text }
        var out = ""
        for s in text.unicodeScalars {
            switch s {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\u{0B}", "\u{0C}", "\u{85}", "\u{2028}", "\u{2029}": out += " "
            default: out.unicodeScalars.append(s)
            }
        }
        return out
    }
}

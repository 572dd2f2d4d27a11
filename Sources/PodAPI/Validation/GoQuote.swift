/// Go's `strconv.Quote` (`%q`), used wherever Kubernetes prints a string value.
public enum GoQuote {
    /// `s` in double quotes with Go's escapes: `\"`, `\\`, `\n`, `\t`, `\x00`-style bytes and
    /// `\u`/`\U` for non-printable code points; printable Unicode stays as is.
    public static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\u{07}": out += "\\a"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{0B}": out += "\\v"
            default:
                if isPrintable(u) {
                    out.unicodeScalars.append(u)
                } else if u.value < 0x80 {
                    out += "\\x" + hex(u.value, width: 2)
                } else if u.value < 0x10000 {
                    out += "\\u" + hex(u.value, width: 4)
                } else {
                    out += "\\U" + hex(u.value, width: 8)
                }
            }
        }
        return out + "\""
    }

    private static func isPrintable(_ u: Unicode.Scalar) -> Bool {
        if u.value < 0x20 || u.value == 0x7F { return false }
        if u.value < 0x7F { return true }
        switch u.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator:
            return false
        case .spaceSeparator:
            return u.value == 0x20
        default:
            return true
        }
    }

    private static func hex(_ v: UInt32, width: Int) -> String {
        let h = String(v, radix: 16)
        return String(repeating: "0", count: max(0, width - h.count)) + h
    }
}

import Foundation
import PodAPI

enum GoJSON {
    static func render(_ v: GoValue) -> String {
        var out = ""
        write(v, into: &out)
        return out
    }

    private static func write(_ v: GoValue, into out: inout String) {
        switch v {
        case .string(let s): writeString(s, into: &out)
        case .integer(let i): out += String(i)
        case .number(let d):
            if d.rounded() == d && abs(d) < 1e21 { out += String(Int64(d)) } else { out += String(d) }
        case .bool(let b): out += b ? "true" : "false"
        case .null: out += "null"
        case .array(let a):
            out += "["
            for (i, e) in a.enumerated() {
                if i > 0 { out += "," }
                write(e, into: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            for (i, (k, e)) in members.enumerated() {
                if i > 0 { out += "," }
                writeString(k, into: &out)
                out += ":"
                write(e, into: &out)
            }
            out += "}"
        }
    }

    private static func writeString(_ s: String, into out: inout String) {
        out += "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<": out += "\\u003c"
            case ">": out += "\\u003e"
            case "&": out += "\\u0026"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default:
                if u.value < 0x20 {
                    out += String(format: "\\u%04x", u.value)
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        out += "\""
    }

    /// A raw API value in Go's rendering; objects whose Go field order is not modelled here
    /// fall back to sorted keys (maps in Go are sorted, structs are not: an approximation for
    /// nested structs outside the fields kubelet's test vectors cover).
    static func from(_ v: JSONValue, order: [String] = []) -> GoValue {
        switch v {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .integer(let i): return .integer(i)
        case .number(let d): return .number(d)
        case .string(let s): return .string(s)
        case .array(let a): return .array(a.map { from($0) })
        case .object(let o):
            let known = order.filter { o[$0] != nil }
            let rest = o.keys.filter { !order.contains($0) }.sorted()
            return .object((known + rest).map { ($0, from(o[$0]!)) })
        }
    }
}

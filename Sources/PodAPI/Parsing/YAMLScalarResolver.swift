import Foundation

/// Resolves YAML scalars to JSON values the way Kubernetes reads manifests: sigs.k8s.io/yaml
/// parses with go-yaml v2 (YAML 1.1 resolution) and then marshals the result to JSON.
///
/// So, for plain (unquoted) scalars: `~`, `null`, `Null`, `NULL` and the empty scalar are null;
/// `true`/`false` and the YAML 1.1 words `yes`/`no`/`on`/`off`/`y`/`n` (in their lower, Title and
/// UPPER forms) are bools; integers as Go's `strconv.ParseInt(s, 0, 64)` reads them after
/// dropping `_` (`0x1F`, `0o17`, `0b101`, `017` as octal); floats as go-yaml's float pattern
/// (one past Double's range stays a string, as `strconv.ParseFloat` fails on it);
/// everything else, timestamps included, is a string. Quoted and block scalars are always strings.
/// A float with no fraction becomes an integer, as Go's JSON encoder prints it (`80.0` -> `80`).
enum YAMLScalarResolver {
    enum Resolved: Equatable {
        case value(JSONValue)
        case merge
        case failure(String)
    }

    static let strTag = "tag:yaml.org,2002:str"
    static let intTag = "tag:yaml.org,2002:int"
    static let floatTag = "tag:yaml.org,2002:float"
    static let boolTag = "tag:yaml.org,2002:bool"
    static let nullTag = "tag:yaml.org,2002:null"
    static let binaryTag = "tag:yaml.org,2002:binary"
    static let timestampTag = "tag:yaml.org,2002:timestamp"
    static let mergeTag = "tag:yaml.org,2002:merge"

    private static let trueWords: Set<String> = ["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"]
    private static let falseWords: Set<String> = ["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"]
    private static let nullWords: Set<String> = ["", "~", "null", "Null", "NULL"]

    /// Resolves one scalar. `tag` is the explicit tag (nil or "" when implicit), `plain` whether
    /// the scalar was written without quotes or block indicators.
    static func resolve(_ text: String, tag: String?, plain: Bool) -> Resolved {
        let explicit = (tag ?? "").isEmpty ? nil : tag
        guard let t = explicit else {
            return plain ? .value(resolvePlain(text)) : .value(.string(text))
        }
        switch t {
        case strTag, timestampTag, "!":
            return .value(.string(text))
        case nullTag:
            // go-yaml v2: a tag the text does not resolve to is an error (`!!null ''` is null).
            if case .null = resolvePlain(text) { return .value(.null) }
            return .failure("cannot decode \(writtenTag(of: text)) `\(text)` as a !!null")
        case mergeTag:
            return .merge
        case boolTag:
            let v = resolvePlain(text)
            if case .bool = v { return .value(v) }
            return .failure("cannot decode \(writtenTag(of: text)) `\(text)` as a !!bool")
        case intTag:
            let v = resolvePlain(text)
            if case .integer = v, isIntegerText(text) { return .value(v) }
            if case .number = v, isIntegerText(text) { return .value(v) }
            return .failure("cannot decode \(writtenTag(of: text)) `\(text)` as a !!int")
        case floatTag:
            let v = resolvePlain(text)
            switch v {
            case .integer, .number: return .value(v)
            default: return .failure("cannot decode \(writtenTag(of: text)) `\(text)` as a !!float")
            }
        case binaryTag:
            let cleaned = text.filter { !$0.isWhitespace }
            guard let data = Data(base64Encoded: cleaned) else {
                return .failure("!!binary value contains invalid base64 data")
            }
            return .value(.string(String(decoding: data, as: UTF8.self)))
        default:
            // Local and unknown tags (`!foo`): go-yaml leaves the text as a string.
            return .value(.string(text))
        }
    }

    /// Whether `text` is a plain `<<` merge key.
    static func isMergeKey(_ text: String, tag: String?, plain: Bool) -> Bool {
        if tag == mergeTag { return true }
        return plain && (tag ?? "").isEmpty && text == "<<"
    }

    /// The short tag go-yaml v2 names for `text` as an untagged plain scalar in its errors
    /// (`1.0` is a `!!float` there, though its JSON is the integer 1).
    private static func writtenTag(of text: String) -> String {
        let v = resolvePlain(text)
        switch v {
        case .integer, .number: return isIntegerText(text) ? "!!int" : "!!float"
        default: return shortTag(of: v)
        }
    }

    private static func shortTag(of v: JSONValue) -> String {
        switch v {
        case .null: return "!!null"
        case .bool: return "!!bool"
        case .integer: return "!!int"
        case .number: return "!!float"
        default: return "!!str"
        }
    }

    private static func isIntegerText(_ s: String) -> Bool {
        parseGoInt(s.replacingOccurrences(of: "_", with: "")) != nil
            || parseGoUInt(s.replacingOccurrences(of: "_", with: "")) != nil
            || s.hasPrefix("0b") || s.hasPrefix("-0b")
    }

    /// go-yaml v2's `resolve` for an untagged plain scalar.
    static func resolvePlain(_ s: String) -> JSONValue {
        if nullWords.contains(s) { return .null }
        if trueWords.contains(s) { return .bool(true) }
        if falseWords.contains(s) { return .bool(false) }
        guard let first = s.utf8.first else { return .string(s) }
        let isDigit = first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9")
        let isSign = first == UInt8(ascii: "+") || first == UInt8(ascii: "-")
        let isDot = first == UInt8(ascii: ".")
        guard isDigit || isSign || isDot else { return .string(s) }
        switch s {
        case ".nan", ".NaN", ".NAN": return .number(.nan)
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .number(.infinity)
        case "-.inf", "-.Inf", "-.INF": return .number(-.infinity)
        default: break
        }
        // A float past Double's range is a string for go-yaml v2 (ParseFloat's ErrRange), not +Inf.
        if isDot {
            if isYAMLFloat(s), let d = Double(s), d.isFinite { return number(d) }
            return .string(s)
        }
        let plain = s.replacingOccurrences(of: "_", with: "")
        if let i = parseGoInt(plain) { return .integer(i) }
        if let u = parseGoUInt(plain) { return .number(Double(u)) }
        if isYAMLFloat(plain), let d = Double(plain), d.isFinite { return number(d) }
        if plain.hasPrefix("0b"), let i = Int64(plain.dropFirst(2), radix: 2) { return .integer(i) }
        if plain.hasPrefix("-0b"), let i = Int64(plain.dropFirst(3), radix: 2) { return .integer(-i) }
        return .string(s)
    }

    /// A float as Go's JSON encoder writes it and decodes it back: integral values in Int64's
    /// range come back as integers.
    static func number(_ d: Double) -> JSONValue {
        if d.isFinite, d.rounded() == d, abs(d) < 9.2e18 { return .integer(Int64(d)) }
        return .number(d)
    }

    /// go-yaml's float pattern: `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
    static func isYAMLFloat(_ s: String) -> Bool {
        let b = Array(s.utf8)
        var i = 0
        func digits() -> Int {
            let start = i
            while i < b.count, b[i] >= UInt8(ascii: "0"), b[i] <= UInt8(ascii: "9") { i += 1 }
            return i - start
        }
        if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            if digits() == 0 { return false }
        } else {
            if digits() == 0 { return false }
            if i < b.count, b[i] == UInt8(ascii: ".") {
                i += 1
                _ = digits()
            }
        }
        if i < b.count, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
            i += 1
            if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
            if digits() == 0 { return false }
        }
        return i == b.count
    }

    /// Go's `strconv.ParseInt(s, 0, 64)`: optional sign, then `0x`, `0o`, `0b` or a leading `0`
    /// (octal) prefix, else decimal.
    static func parseGoInt(_ s: String) -> Int64? {
        var body = Substring(s)
        var negative = false
        if body.first == "+" || body.first == "-" {
            negative = body.first == "-"
            body = body.dropFirst()
        }
        guard let (radix, digits) = splitRadix(body) else { return nil }
        guard let mag = UInt64(digits, radix: radix) else { return nil }
        if negative {
            if mag <= UInt64(Int64.max) { return -Int64(mag) }
            if mag == UInt64(Int64.max) + 1 { return Int64.min }
            return nil
        }
        return mag <= UInt64(Int64.max) ? Int64(mag) : nil
    }

    /// Go's `strconv.ParseUint(s, 0, 64)`.
    static func parseGoUInt(_ s: String) -> UInt64? {
        guard let (radix, digits) = splitRadix(Substring(s)) else { return nil }
        return UInt64(digits, radix: radix)
    }

    private static func splitRadix(_ body: Substring) -> (Int, Substring)? {
        guard !body.isEmpty else { return nil }
        let lower = body.lowercased()
        var radix = 10
        var digits = body
        if lower.hasPrefix("0x") {
            radix = 16
            digits = body.dropFirst(2)
        } else if lower.hasPrefix("0o") {
            radix = 8
            digits = body.dropFirst(2)
        } else if lower.hasPrefix("0b") {
            radix = 2
            digits = body.dropFirst(2)
        } else if body.count > 1 && body.first == "0" {
            radix = 8
            digits = body.dropFirst(1)
        }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isHexDigit }) else { return nil }
        return (radix, digits)
    }

    /// A mapping key as sigs.k8s.io/yaml turns it into a JSON object key: strings as they are,
    /// integers in decimal, bools as `true`/`false`, floats in Go's short form; nil for keys it
    /// refuses (null).
    static func jsonKey(for v: JSONValue) -> String? {
        switch v {
        case .string(let s): return s
        case .integer(let i): return String(i)
        case .bool(let b): return b ? "true" : "false"
        case .number(let d):
            if d.isNaN { return ".nan" }
            if d.isInfinite { return d > 0 ? ".inf" : "-.inf" }
            let f = Float(d)
            if f.rounded() == f, abs(f) < 1e6 { return String(Int64(f)) }
            return "\(f)"
        default: return nil
        }
    }
}

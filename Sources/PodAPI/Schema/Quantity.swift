import Foundation

/// A Kubernetes `resource.Quantity` read from its text form (`500m`, `128Mi`, `1.5`, `1e3`),
/// with its exact decimal value for comparisons (requests <= limits).
public struct Quantity: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The text as written.
    public let text: String
    /// The value in base units (cores, bytes), exact.
    public let value: Decimal

    /// The grammar check's message, as apimachinery prints it.
    public static let formatError = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"

    /// Parses `s` with apimachinery's quantity grammar:
    /// `[+-]<digits>[.<digits>]` then one of the binary suffixes `Ki Mi Gi Ti Pi Ei`, the decimal
    /// suffixes `n u m "" k M G T P E`, or an exponent `e<int>`/`E<int>`. Nil when malformed.
    public static func parse(_ s: String) -> Quantity? {
        let b = Array(s.utf8)
        guard !b.isEmpty else { return nil }
        var i = 0
        var negative = false
        if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
            negative = b[i] == UInt8(ascii: "-")
            i += 1
        }
        let numStart = i
        var digits = 0
        while i < b.count, b[i] >= UInt8(ascii: "0"), b[i] <= UInt8(ascii: "9") {
            i += 1
            digits += 1
        }
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            while i < b.count, b[i] >= UInt8(ascii: "0"), b[i] <= UInt8(ascii: "9") {
                i += 1
                digits += 1
            }
        }
        guard digits > 0 else { return nil }
        let numberText = String(decoding: b[numStart..<i], as: UTF8.self)
        let suffix = String(decoding: b[i...], as: UTF8.self)
        guard
            var value = Decimal(
                string: numberText.hasPrefix(".") ? "0" + numberText : numberText,
                locale: Locale(identifier: "en_US_POSIX"))
        else { return nil }
        let binary: [String: Int] = ["Ki": 1, "Mi": 2, "Gi": 3, "Ti": 4, "Pi": 5, "Ei": 6]
        let decimal: [String: Int] = ["n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18]
        if let p = binary[suffix] {
            for _ in 0..<p { value *= 1024 }
        } else if let e = decimal[suffix] {
            value = Self.scale(value, e)
        } else if let f = suffix.first, f == "e" || f == "E" {
            let expText = suffix.dropFirst()
            var body = expText
            if body.first == "+" || body.first == "-" { body = body.dropFirst() }
            guard !body.isEmpty, body.allSatisfy({ $0.isASCII && $0.isNumber }), let e = Int(expText), abs(e) <= 100 else { return nil }
            value = Self.scale(value, e)
        } else {
            return nil
        }
        return Quantity(text: s, value: negative ? -value : value)
    }

    private static func scale(_ v: Decimal, _ e: Int) -> Decimal {
        var r = v
        if e >= 0 { for _ in 0..<e { r *= 10 } } else { for _ in 0..<(-e) { r /= 10 } }
        return r
    }

    /// A quantity given as a JSON value: a string in the grammar above, or a JSON number.
    public static func from(_ v: JSONValue) -> Quantity? {
        switch v {
        case .string(let s): return parse(s.trimmingCharacters(in: .whitespaces))
        case .integer(let i): return parse(String(i))
        case .number(let d): return parse(String(d))
        default: return nil
        }
    }

    /// Ordered, equal and hashed by value, so `1` == `1000m`.
    public static func < (a: Quantity, b: Quantity) -> Bool { a.value < b.value }
    public static func == (a: Quantity, b: Quantity) -> Bool { a.value == b.value }
    public func hash(into h: inout Hasher) { h.combine(value) }

    public var description: String { text }
}

/// Small typed accessors and edits on `JSONValue`, for the fields the API keeps in `other` bags.
extension JSONValue {
    /// The bool when this is `.bool`, else nil.
    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    /// The string member `key` of an object, else nil.
    public func string(_ key: String) -> String? { self[key]?.stringValue }

    /// The integer member `key` of an object, else nil.
    public func integer(_ key: String) -> Int64? { self[key]?.integerValue }

    /// The object member `key` of an object, else nil.
    public func object(_ key: String) -> JSONValue? {
        guard let v = self[key], case .object = v else { return nil }
        return v
    }

    /// The array member `key` of an object, else an empty array.
    public func array(_ key: String) -> [JSONValue] { self[key]?.arrayValue ?? [] }

    /// Sets member `key` of an object (no-op on other values); nil removes it.
    /// A copy with `key` set to `value` (removed when nil), as ``set(_:_:)`` does in place.
    public func with(_ key: String, _ value: JSONValue?) -> JSONValue {
        var copy = self
        copy.set(key, value)
        return copy
    }

    public mutating func set(_ key: String, _ value: JSONValue?) {
        guard case .object(var o) = self else { return }
        o[key] = value
        self = .object(o)
    }

    /// Sets member `key` only when it is absent, null, or the given "empty" value
    /// (`""`, `0`), as Kubernetes' defaulting does for zero-valued fields.
    public mutating func setDefault(_ key: String, _ value: JSONValue) {
        guard case .object(var o) = self else { return }
        switch o[key] {
        case nil, .null?, .string("")?, .integer(0)?: o[key] = value
        default: break
        }
        self = .object(o)
    }

    /// Applies `edit` to the object member `key` when it is an object.
    public mutating func editObject(_ key: String, _ edit: (inout JSONValue) -> Void) {
        guard case .object(var o) = self, var child = o[key], case .object = child else { return }
        edit(&child)
        o[key] = child
        self = .object(o)
    }

    /// Applies `edit` to every element of the array member `key`.
    public mutating func editArray(_ key: String, _ edit: (inout JSONValue) -> Void) {
        guard case .object(var o) = self, case .array(var items)? = o[key] else { return }
        for i in items.indices { edit(&items[i]) }
        o[key] = .array(items)
        self = .object(o)
    }

    /// Compact JSON with object keys sorted, as Go's encoder writes maps (`{"a":1,"b":[true]}`).
    public var compactJSON: String {
        var out = ""
        write(to: &out)
        return out
    }

    private func write(to out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .integer(let i): out += String(i)
        case .number(let d):
            if d.rounded() == d && abs(d) < 1e15 { out += String(Int64(d)) } else { out += "\(d)" }
        case .string(let s): out += JSONValue.jsonQuote(s)
        case .array(let a):
            out += "["
            for (i, e) in a.enumerated() {
                if i > 0 { out += "," }
                e.write(to: &out)
            }
            out += "]"
        case .object(let o):
            out += "{"
            for (i, k) in o.keys.sorted().enumerated() {
                if i > 0 { out += "," }
                out += JSONValue.jsonQuote(k)
                out += ":"
                o[k]!.write(to: &out)
            }
            out += "}"
        }
    }

    /// The start of `compactJSON`: at least its first `maxBytes` UTF-8 bytes (whole Unicode
    /// scalars), and whether it was cut there. Its cost follows `maxBytes`, not the value's size,
    /// so that an error can quote the start of a document that aliases made huge.
    func compactJSONPrefix(maxBytes: Int) -> (text: String, cut: Bool) {
        var out = ""
        let cut = !writePrefix(to: &out, maxBytes: maxBytes)
        return (out, cut)
    }

    /// Writes as `write(to:)` does until `out` holds `maxBytes` bytes; false when it stopped early.
    private func writePrefix(to out: inout String, maxBytes: Int) -> Bool {
        if out.utf8.count >= maxBytes { return false }
        switch self {
        case .null, .bool, .integer, .number: write(to: &out)
        case .string(let s): return JSONValue.writeQuoted(s, to: &out, maxBytes: maxBytes)
        case .array(let a):
            out += "["
            for (i, e) in a.enumerated() {
                if i > 0 { out += "," }
                if !e.writePrefix(to: &out, maxBytes: maxBytes) { return false }
            }
            out += "]"
        case .object(let o):
            out += "{"
            for (i, k) in o.keys.sorted().enumerated() {
                if i > 0 { out += "," }
                if !JSONValue.writeQuoted(k, to: &out, maxBytes: maxBytes) { return false }
                out += ":"
                if !o[k]!.writePrefix(to: &out, maxBytes: maxBytes) { return false }
            }
            out += "}"
        }
        return out.utf8.count < maxBytes
    }

    /// `jsonQuote(s)` appended to `out`, stopping once `out` holds `maxBytes` bytes.
    private static func writeQuoted(_ s: String, to out: inout String, maxBytes: Int) -> Bool {
        out += "\""
        var chunk = ""
        for u in s.unicodeScalars {
            chunk.unicodeScalars.append(u)
            if chunk.utf8.count >= 64 {
                out += String(jsonQuote(chunk).dropFirst().dropLast())
                chunk = ""
                if out.utf8.count >= maxBytes { return false }
            }
        }
        out += String(jsonQuote(chunk).dropFirst().dropLast()) + "\""
        return out.utf8.count < maxBytes
    }

    /// A JSON string literal with the escapes JSON requires.
    static func jsonQuote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 {
                    let h = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }
}

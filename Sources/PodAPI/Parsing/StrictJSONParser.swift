/// A small strict JSON parser for `.json` manifests, written for this agent so that a `.json`
/// file is read as JSON and never as YAML (YAML flow style would accept a trailing comma, a
/// comment or an unquoted key that JSON forbids).
///
/// It follows RFC 8259 and Go's encoding/json: syntax errors use Go's scanner wording, e.g.
/// `json: line 13: invalid character '}' looking for beginning of object key string` (1-based
/// line of the offending character); numbers without fraction or exponent that fit Int64 become
/// `.integer`, all others `.number`; a key repeated in one object is an error (Go would keep the
/// last one silently); nesting deeper than `ManifestLimits.maxDepth` is an error.
public enum StrictJSONParser {
    /// Parses one JSON value filling all of `text` (surrounding whitespace allowed). Returns nil
    /// when the text is empty or whitespace only.
    ///
    /// - Throws: `ManifestSyntaxError` for the first syntax error; a duplicate key is reported
    ///   only if the text has no syntax error.
    public static func parse(_ text: String, limits: ManifestLimits = .default) throws -> JSONValue? {
        var p = Parser(bytes: Array(text.utf8), maxDepth: limits.maxDepth)
        return try p.parseDocument()
    }

    private struct Parser {
        let bytes: [UInt8]
        let maxDepth: Int
        var i = 0
        var path: [String] = []
        var firstDuplicate: ManifestSyntaxError?

        init(bytes: [UInt8], maxDepth: Int) {
            self.bytes = bytes
            self.maxDepth = maxDepth
        }

        mutating func parseDocument() throws -> JSONValue? {
            skipWhitespace()
            if i >= bytes.count { return nil }
            let v = try parseValue(depth: 0)
            skipWhitespace()
            if i < bytes.count { throw invalid(bytes[i], "after top-level value") }
            if let d = firstDuplicate { throw d }
            return v
        }

        // MARK: Errors

        func line(at offset: Int) -> Int {
            var n = 1
            var k = 0
            let end = min(offset, bytes.count)
            while k < end {
                if bytes[k] == 0x0A { n += 1 }
                k += 1
            }
            return n
        }

        func error(_ message: String, at offset: Int) -> ManifestSyntaxError {
            let l = line(at: offset)
            return ManifestSyntaxError(message: "json: line \(l): \(message)", line: l)
        }

        func invalid(_ c: UInt8, _ context: String) -> ManifestSyntaxError {
            error("invalid character \(Self.quoteChar(c)) \(context)", at: i)
        }

        var unexpectedEnd: ManifestSyntaxError { error("unexpected end of JSON input", at: bytes.count) }

        /// Go's `quoteChar`: the byte in single quotes, escaped as `strconv.Quote` would.
        static func quoteChar(_ c: UInt8) -> String {
            if c == UInt8(ascii: "'") { return "'\\''" }
            if c == UInt8(ascii: "\"") { return "'\"'" }
            let q = GoQuote.quote(String(Character(Unicode.Scalar(c))))
            return "'" + q.dropFirst().dropLast() + "'"
        }

        // MARK: Grammar

        mutating func skipWhitespace() {
            while i < bytes.count {
                let c = bytes[i]
                if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D { i += 1 } else { break }
            }
        }

        mutating func parseValue(depth: Int) throws -> JSONValue {
            guard i < bytes.count else { throw unexpectedEnd }
            let c = bytes[i]
            switch c {
            case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
            case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
            case UInt8(ascii: "\""): return .string(try parseString())
            case UInt8(ascii: "t"):
                try literal("true")
                return .bool(true)
            case UInt8(ascii: "f"):
                try literal("false")
                return .bool(false)
            case UInt8(ascii: "n"):
                try literal("null")
                return .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
            default: throw invalid(c, "looking for beginning of value")
            }
        }

        mutating func literal(_ word: String) throws {
            let w = Array(word.utf8)
            i += 1
            for k in 1..<w.count {
                guard i < bytes.count else { throw unexpectedEnd }
                if bytes[i] != w[k] {
                    throw invalid(bytes[i], "in literal \(word) (expecting \(Self.quoteChar(w[k])))")
                }
                i += 1
            }
        }

        mutating func parseObject(depth: Int) throws -> JSONValue {
            if depth > maxDepth { throw error("exceeded max depth of \(maxDepth)", at: i) }
            i += 1
            var obj: [String: JSONValue] = [:]
            var keyLines: [String: Int] = [:]
            skipWhitespace()
            guard i < bytes.count else { throw unexpectedEnd }
            if bytes[i] == UInt8(ascii: "}") {
                i += 1
                return .object(obj)
            }
            while true {
                skipWhitespace()
                guard i < bytes.count else { throw unexpectedEnd }
                guard bytes[i] == UInt8(ascii: "\"") else { throw invalid(bytes[i], "looking for beginning of object key string") }
                let keyOffset = i
                let key = try parseString()
                skipWhitespace()
                guard i < bytes.count else { throw unexpectedEnd }
                guard bytes[i] == UInt8(ascii: ":") else { throw invalid(bytes[i], "after object key") }
                i += 1
                skipWhitespace()
                path.append(key)
                let value = try parseValue(depth: depth)
                path.removeLast()
                let keyLine = line(at: keyOffset)
                if let first = keyLines[key] {
                    if firstDuplicate == nil {
                        let p = (path + [key]).joined(separator: ".")
                        firstDuplicate = ManifestSyntaxError(
                            message:
                                "json: line \(keyLine): duplicate key \(GoQuote.quote(key)) in object, first defined at line \(first) (\(p))",
                            line: keyLine)
                    }
                } else {
                    keyLines[key] = keyLine
                }
                obj[key] = value
                skipWhitespace()
                guard i < bytes.count else { throw unexpectedEnd }
                if bytes[i] == UInt8(ascii: ",") {
                    i += 1
                    continue
                }
                if bytes[i] == UInt8(ascii: "}") {
                    i += 1
                    return .object(obj)
                }
                throw invalid(bytes[i], "after object key:value pair")
            }
        }

        mutating func parseArray(depth: Int) throws -> JSONValue {
            if depth > maxDepth { throw error("exceeded max depth of \(maxDepth)", at: i) }
            i += 1
            var arr: [JSONValue] = []
            skipWhitespace()
            guard i < bytes.count else { throw unexpectedEnd }
            if bytes[i] == UInt8(ascii: "]") {
                i += 1
                return .array(arr)
            }
            while true {
                skipWhitespace()
                path.append("[\(arr.count)]")
                arr.append(try parseValue(depth: depth))
                path.removeLast()
                skipWhitespace()
                guard i < bytes.count else { throw unexpectedEnd }
                if bytes[i] == UInt8(ascii: ",") {
                    i += 1
                    continue
                }
                if bytes[i] == UInt8(ascii: "]") {
                    i += 1
                    return .array(arr)
                }
                throw invalid(bytes[i], "after array element")
            }
        }

        mutating func parseString() throws -> String {
            i += 1
            var out = [UInt8]()
            while true {
                guard i < bytes.count else { throw unexpectedEnd }
                let c = bytes[i]
                if c == UInt8(ascii: "\"") {
                    i += 1
                    break
                }
                if c < 0x20 { throw invalid(c, "in string literal") }
                if c != UInt8(ascii: "\\") {
                    out.append(c)
                    i += 1
                    continue
                }
                i += 1
                guard i < bytes.count else { throw unexpectedEnd }
                let e = bytes[i]
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"):
                    out.append(e)
                    i += 1
                case UInt8(ascii: "b"):
                    out.append(0x08)
                    i += 1
                case UInt8(ascii: "f"):
                    out.append(0x0C)
                    i += 1
                case UInt8(ascii: "n"):
                    out.append(0x0A)
                    i += 1
                case UInt8(ascii: "r"):
                    out.append(0x0D)
                    i += 1
                case UInt8(ascii: "t"):
                    out.append(0x09)
                    i += 1
                case UInt8(ascii: "u"):
                    i += 1
                    var scalar = try hex4()
                    if (0xD800...0xDBFF).contains(scalar), i + 1 < bytes.count,
                        bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u")
                    {
                        let save = i
                        i += 2
                        let low = try hex4()
                        if (0xDC00...0xDFFF).contains(low) {
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            i = save
                        }
                    }
                    let u = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                    out.append(contentsOf: Array(String(Character(u)).utf8))
                default:
                    throw invalid(e, "in string escape code")
                }
            }
            return String(decoding: out, as: UTF8.self)
        }

        mutating func hex4() throws -> UInt32 {
            var v: UInt32 = 0
            for _ in 0..<4 {
                guard i < bytes.count else { throw unexpectedEnd }
                let c = bytes[i]
                let d: UInt32
                switch c {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(c - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(c - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(c - UInt8(ascii: "A") + 10)
                default: throw invalid(c, "in \\u hexadecimal character escape")
                }
                v = v * 16 + d
                i += 1
            }
            return v
        }

        mutating func parseNumber() throws -> JSONValue {
            let start = i
            var isInteger = true
            func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }
            if bytes[i] == UInt8(ascii: "-") {
                i += 1
                guard i < bytes.count else { throw unexpectedEnd }
                guard isDigit(bytes[i]) else { throw invalid(bytes[i], "in numeric literal") }
            }
            if bytes[i] == UInt8(ascii: "0") {
                i += 1
            } else {
                while i < bytes.count, isDigit(bytes[i]) { i += 1 }
            }
            if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
                isInteger = false
                i += 1
                guard i < bytes.count else { throw unexpectedEnd }
                guard isDigit(bytes[i]) else { throw invalid(bytes[i], "after decimal point in numeric literal") }
                while i < bytes.count, isDigit(bytes[i]) { i += 1 }
            }
            if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
                isInteger = false
                i += 1
                if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
                guard i < bytes.count else { throw unexpectedEnd }
                guard isDigit(bytes[i]) else { throw invalid(bytes[i], "in exponent of numeric literal") }
                while i < bytes.count, isDigit(bytes[i]) { i += 1 }
            }
            let text = String(decoding: bytes[start..<i], as: UTF8.self)
            if isInteger, let v = Int64(text) { return .integer(v) }
            guard let d = Double(text), d.isFinite else {
                throw error("cannot unmarshal number \(text): value out of range", at: start)
            }
            return .number(d)
        }
    }
}

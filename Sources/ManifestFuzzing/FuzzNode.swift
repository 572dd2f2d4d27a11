import PodAPI

/// A YAML document tree whose scalars are kept as the exact text to write, so that a mutation can
/// put anything in it, including what a `JSONValue` cannot hold: `1e400`, a key written twice, a
/// tag, an anchor or an alias.
public indirect enum FuzzNode: Sendable {
    /// Text written as is: `80`, `"nginx:1.25"`, `!!binary aGk=`, `*a`, `[[[]]]`.
    case scalar(String)
    case sequence([FuzzNode])
    /// Pairs in order; a key may repeat.
    case mapping([FuzzPair])
    /// A node with a prefix written before it: an anchor (`&a`) or a tag (`!!map`).
    case decorated(String, FuzzNode)
}

/// One key and value of a `FuzzNode.mapping`; the key is written as is.
public struct FuzzPair: Sendable {
    public var key: String
    public var value: FuzzNode

    public init(key: String, value: FuzzNode) {
        self.key = key
        self.value = value
    }
}

extension FuzzNode {
    /// The tree of a parsed document. Object keys are sorted, so that the same value always gives
    /// the same tree (a dictionary's order changes from one process to the next). With `json`,
    /// every string is written quoted, so that the tree renders as JSON.
    public init(_ value: JSONValue, json: Bool) {
        switch value {
        case .null: self = .scalar("null")
        case .bool(let b): self = .scalar(b ? "true" : "false")
        case .integer(let i): self = .scalar(String(i))
        case .number(let d): self = .scalar("\(d)")
        case .string(let s): self = .scalar(json || !FuzzText.isPlainSafe(s) ? FuzzText.quoted(s) : s)
        case .array(let a): self = .sequence(a.map { FuzzNode($0, json: json) })
        case .object(let o):
            self = .mapping(
                o.keys.sorted().map { k in
                    FuzzPair(key: json || !FuzzText.isPlainSafe(k) ? FuzzText.quoted(k) : k, value: FuzzNode(o[k]!, json: json))
                })
        }
    }

    /// How many nodes the tree holds (a decorated node counts once).
    public var count: Int {
        switch self {
        case .scalar: return 1
        case .sequence(let items): return 1 + items.reduce(0) { $0 + $1.count }
        case .mapping(let pairs): return 1 + pairs.reduce(0) { $0 + $1.value.count }
        case .decorated(_, let inner): return inner.count
        }
    }

    /// Whether this is a scalar (through decorations).
    public var isScalar: Bool {
        switch self {
        case .scalar: return true
        case .decorated(_, let inner): return inner.isScalar
        default: return false
        }
    }
}

/// Quoting helpers shared by the tree and the mutators.
public enum FuzzText {
    private static let reservedWords: Set<String> = [
        "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON", "n", "N", "no", "No", "NO", "false", "False",
        "FALSE", "off", "Off", "OFF", "null", "Null", "NULL", "~",
    ]

    /// Whether `s` reads back as the same string when written plain in YAML: letters, digits and
    /// `-._/`, starting with a letter, and not a YAML 1.1 bool or null word.
    public static func isPlainSafe(_ s: String) -> Bool {
        guard let first = s.utf8.first, s.utf8.count <= 200 else { return false }
        let isLetter = { (c: UInt8) in (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) }
        guard isLetter(first) else { return false }
        for c in s.utf8 {
            let ok = isLetter(c) || (c >= 0x30 && c <= 0x39) || c == 0x2D || c == 0x2E || c == 0x5F || c == 0x2F
            if !ok { return false }
        }
        return !reservedWords.contains(s)
    }

    /// `s` double-quoted, escaped so that the text is both a JSON string and a YAML
    /// double-quoted scalar.
    public static func quoted(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if u.value < 0x20 || u.value == 0x7F || (u.value >= 0x80 && u.value < 0xA0) || u.value == 0xFEFF
                    || u.value == 0x2028 || u.value == 0x2029
                {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }
}

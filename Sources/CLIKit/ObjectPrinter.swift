import Foundation
import PodAPI
import Yams

/// `-o json` and `-o yaml` as kubectl prints them: JSON indented by 4 spaces with `"key": value`,
/// YAML as go-yaml writes it (block style, sequences not indented under their key); keys sorted
/// in both. Each output ends with a newline.
public enum ObjectPrinter {
    /// Pretty JSON, indent 4, sorted keys.
    /// - Throws: `EncodingError` when `value` cannot be encoded.
    public static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let compact = String(decoding: try encoder.encode(value), as: UTF8.self)
        return indentJSON(compact, indent: "    ") + "\n"
    }

    /// YAML with sorted keys.
    /// - Throws: `EncodingError` or Yams' `YamlError` when `value` cannot be encoded.
    public static func yaml(_ value: some Encodable) throws -> String {
        let encoder = YAMLEncoder()
        var options = YAMLEncoder.Options()
        options.sortKeys = true
        options.allowUnicode = true
        encoder.options = options
        let text = doubleQuoted(try encoder.encode(value))
        return text.hasSuffix("\n") ? text : text + "\n"
    }

    /// go-yaml quotes a string that would read as another type (`"True"`, a timestamp) with
    /// double quotes where libyaml uses single ones: `status: 'True'` becomes `status: "True"`.
    /// Only one-line scalars with no quote or backslash inside are changed, so the meaning stays.
    static func doubleQuoted(_ yaml: String) -> String {
        yaml.split(separator: "\n", omittingEmptySubsequences: false).map { line -> Substring in
            guard line.hasSuffix("'"), let open = line.dropLast().lastIndex(of: "'") else { return line }
            let before = line[..<open]
            guard before.hasSuffix(": ") || before.hasSuffix("- ") else { return line }
            let inner = line[line.index(after: open)..<line.index(before: line.endIndex)]
            guard !inner.contains("\"") && !inner.contains("\\") && !inner.contains("'") else { return line }
            return before + "\"" + inner + "\""
        }.joined(separator: "\n")
    }

    /// Go's `json.Indent` over compact JSON: a newline and `indent` per level after `{`, `[`
    /// and `,`; `": "` after keys; empty `{}` and `[]` stay on one line.
    public static func indentJSON(_ compact: String, indent: String) -> String {
        let bytes = Array(compact.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        var depth = 0
        var inString = false
        var escaped = false
        let indentBytes = Array(indent.utf8)
        func newline() {
            out.append(UInt8(ascii: "\n"))
            for _ in 0..<depth { out.append(contentsOf: indentBytes) }
        }
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if inString {
                out.append(b)
                if escaped {
                    escaped = false
                } else if b == UInt8(ascii: "\\") {
                    escaped = true
                } else if b == UInt8(ascii: "\"") {
                    inString = false
                }
                i += 1
                continue
            }
            switch b {
            case UInt8(ascii: "\""):
                inString = true
                out.append(b)
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                out.append(b)
                let close = b == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
                if i + 1 < bytes.count && bytes[i + 1] == close {
                    out.append(close)
                    i += 1
                } else {
                    depth += 1
                    newline()
                }
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                newline()
                out.append(b)
            case UInt8(ascii: ","):
                out.append(b)
                newline()
            case UInt8(ascii: ":"):
                out.append(b)
                out.append(UInt8(ascii: " "))
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
                break
            default:
                out.append(b)
            }
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// A cheap scan of YAML text that finds the one input shape Yams cannot parse in bounded time:
/// aliases together with non-scalar ("complex") mapping keys. Yams checks every mapping for
/// duplicate keys by hashing the key nodes, and the hash of a key that holds aliases walks their
/// whole expansion, so `? *lol9 : x` after a billion-laughs ladder would run for hours before
/// this agent's own node budget could stop it.
///
/// The scan skips comments, quoted strings and block scalars, and reports a hazard only when the
/// text has an alias (`*name` at the start of a token) AND something that can start a complex
/// key: an explicit `? ` key, an alias used as a key (`*a :`), or a flow collection closed right
/// before a `:` (`[a, b]: c`). Kubernetes manifests never need either, so a false positive costs
/// a clear error on a file that is exotic anyway.
enum YAMLAliasGuard {
    static func hasHazard(_ text: String) -> Bool {
        let b = Array(text.utf8)
        guard b.contains(UInt8(ascii: "*")) else { return false }
        var sawAlias = false
        var complexKey = false
        var i = 0
        let n = b.count
        var lineStart = true
        var lineIndent = 0
        var blockScalarParentIndent: Int? = nil

        func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D }
        func isTokenStart(_ at: Int) -> Bool {
            if at == 0 { return true }
            let p = b[at - 1]
            return isSpace(p) || p == UInt8(ascii: "[") || p == UInt8(ascii: "{") || p == UInt8(ascii: ",")
        }
        func followedByColon(_ from: Int) -> Bool {
            var j = from
            while j < n, b[j] == 0x20 { j += 1 }
            guard j < n, b[j] == UInt8(ascii: ":") else { return false }
            let k = j + 1
            return k >= n || isSpace(b[k]) || b[k] == UInt8(ascii: ",") || b[k] == UInt8(ascii: "]") || b[k] == UInt8(ascii: "}")
        }

        while i < n {
            let c = b[i]
            if lineStart {
                var j = i
                while j < n, b[j] == 0x20 { j += 1 }
                let indent = j - i
                let blank = j >= n || b[j] == 0x0A || b[j] == 0x0D
                if let parent = blockScalarParentIndent {
                    if blank || indent > parent {
                        while i < n, b[i] != 0x0A { i += 1 }
                        i += 1
                        continue
                    }
                    blockScalarParentIndent = nil
                }
                lineIndent = indent
                lineStart = false
                i = j
                continue
            }
            switch c {
            case 0x0A:
                lineStart = true
                i += 1
            case UInt8(ascii: "#") where isTokenStart(i):
                while i < n, b[i] != 0x0A { i += 1 }
            case UInt8(ascii: "\"") where isTokenStart(i):
                i += 1
                while i < n, b[i] != UInt8(ascii: "\"") {
                    if b[i] == UInt8(ascii: "\\") { i += 1 }
                    i += 1
                }
                i += 1
            case UInt8(ascii: "'") where isTokenStart(i):
                i += 1
                while i < n {
                    if b[i] == UInt8(ascii: "'") {
                        if i + 1 < n, b[i + 1] == UInt8(ascii: "'") {
                            i += 2
                            continue
                        }
                        break
                    }
                    i += 1
                }
                i += 1
            case UInt8(ascii: "|"), UInt8(ascii: ">"):
                // A block scalar header ends its line (after optional indicators and a comment).
                if isTokenStart(i) {
                    var j = i + 1
                    while j < n,
                        b[j] == UInt8(ascii: "-") || b[j] == UInt8(ascii: "+") || (b[j] >= UInt8(ascii: "0") && b[j] <= UInt8(ascii: "9"))
                    { j += 1 }
                    while j < n, b[j] == 0x20 { j += 1 }
                    if j >= n || b[j] == 0x0A || b[j] == 0x0D || b[j] == UInt8(ascii: "#") {
                        blockScalarParentIndent = lineIndent
                        while j < n, b[j] != 0x0A { j += 1 }
                        i = j
                        continue
                    }
                }
                i += 1
            case UInt8(ascii: "*") where isTokenStart(i):
                var j = i + 1
                while j < n, !isSpace(b[j]), b[j] != UInt8(ascii: ","), b[j] != UInt8(ascii: "]"), b[j] != UInt8(ascii: "}") { j += 1 }
                if j > i + 1 {
                    sawAlias = true
                    if followedByColon(j) { complexKey = true }
                }
                i = j
            case UInt8(ascii: "?") where isTokenStart(i):
                if i + 1 >= n || isSpace(b[i + 1]) { complexKey = true }
                i += 1
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                if followedByColon(i + 1) { complexKey = true }
                i += 1
            default:
                i += 1
            }
            if sawAlias && complexKey { return true }
        }
        return sawAlias && complexKey
    }
}

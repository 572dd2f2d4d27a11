/// Whole manifests built to hit a limit: alias bombs, deep nesting, huge documents, many
/// documents, long lines, many keys, many containers. Each is drawn at a random size up to the
/// input's byte cap, often inside an otherwise valid pod so the loader reads past the parser.
public enum HostileDocuments {
    /// The kinds of document this file builds, in the order `make` numbers them.
    public static let kinds = [
        "billion-laughs", "alias-string-blowup", "alias-complex-key", "merge-bomb", "deep-flow", "deep-block", "deep-json",
        "many-documents", "long-line", "many-keys", "many-containers", "duplicate-keys", "many-anchors", "directives",
        "unicode-names", "big-numbers", "utf16",
    ]

    /// A document of kind `kinds[kind]` of at most about `cap` bytes (the generator cuts to
    /// `cap` afterwards) and whether it is JSON.
    public static func make(kind: Int, cap: Int, rng: inout FuzzRandom) -> (bytes: [UInt8], json: Bool) {
        switch kinds[kind % kinds.count] {
        case "billion-laughs": return (Array(billionLaughs(&rng).utf8), false)
        case "alias-string-blowup": return (Array(aliasStringBlowup(cap: cap, &rng).utf8), false)
        case "alias-complex-key": return (Array(aliasComplexKey(&rng).utf8), false)
        case "merge-bomb": return (Array(mergeBomb(&rng).utf8), false)
        case "deep-flow": return (Array(deepFlow(cap: cap, &rng).utf8), false)
        case "deep-block": return (Array(deepBlock(cap: cap, &rng).utf8), false)
        case "deep-json": return (Array(deepFlow(cap: cap, &rng, json: true).utf8), true)
        case "many-documents": return (Array(manyDocuments(cap: cap, &rng).utf8), false)
        case "long-line": return (Array(longLine(cap: cap, &rng).utf8), rng.chance(20))
        case "many-keys": return (Array(manyKeys(cap: cap, &rng).utf8), false)
        case "many-containers": return (Array(manyContainers(cap: cap, &rng).utf8), false)
        case "duplicate-keys": return (Array(duplicateKeys(cap: cap, &rng).utf8), false)
        case "many-anchors": return (Array(manyAnchors(cap: cap, &rng).utf8), false)
        case "directives": return (Array(directives(&rng).utf8), false)
        case "unicode-names": return (Array(unicodeNames(&rng).utf8), rng.chance(30))
        case "big-numbers": return bigNumbers(&rng)
        default: return utf16(&rng)
        }
    }

    static func pod(name: String = "fuzz", extraMetadata: String = "", extraTop: String = "", container: String = "") -> String {
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: \(name)\n\(extraMetadata)spec:\n  containers:\n  - name: app\n    image: nginx:1.25\n\(container)\(extraTop)"
    }

    /// The classic ladder: each level a list of `width` aliases of the level below.
    static func ladder(levels: Int, width: Int, prefix: String, indent: String, separator: String = ",") -> String {
        var s = "\(indent)\(prefix)0: &\(prefix)0 [\"lol\"]\n"
        for level in 1...max(1, levels) {
            let refs = Array(repeating: "*\(prefix)\(level - 1)", count: width).joined(separator: separator)
            s += "\(indent)\(prefix)\(level): &\(prefix)\(level) [\(refs)]\n"
        }
        return s
    }

    static func billionLaughs(_ rng: inout FuzzRandom) -> String {
        let levels = rng.int(in: 3...12)
        let width = rng.int(in: 2...12)
        switch rng.below(5) {
        case 0: return ladder(levels: levels, width: width, prefix: "lol", indent: "")
        case 1:
            // Inside annotations (a map of strings), then used as a label value.
            return pod(
                extraMetadata: "  annotations:\n" + ladder(levels: levels, width: width, prefix: "l", indent: "    ")
                    + "  labels:\n    x: *l\(levels)\n")
        case 2:
            // As a container's args.
            return pod(extraTop: "  x-bomb:\n" + ladder(levels: levels, width: width, prefix: "b", indent: "    "))
                + "  initContainers:\n  - name: i\n    image: busybox\n    args: *b\(levels)\n"
        case 3:
            // Flow style, all on a few lines.
            var s = "a0: &a0 [x, x]\n"
            for level in 1...levels {
                s += "a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: width).joined(separator: ",") + "]\n"
            }
            return s + "kind: Pod\napiVersion: v1\n"
        default:
            // A JSON-looking flow document.
            var s = "{\"a0\": &a0 [\"x\"],\n"
            for level in 1...levels {
                s += "\"a\(level)\": &a\(level) [" + Array(repeating: "*a\(level - 1)", count: width).joined(separator: ", ") + "],\n"
            }
            return s + "\"kind\": \"Pod\"}\n"
        }
    }

    static func aliasStringBlowup(cap: Int, _ rng: inout FuzzRandom) -> String {
        let length = min(max(16, cap / 4), rng.smallLength(max: 256 << 10))
        let count = rng.int(in: 2...20_000)
        var s = "s: &s \"" + String(repeating: "x", count: length) + "\"\nlist: ["
        s += Array(repeating: "*s", count: min(count, max(2, cap / 3))).joined(separator: ",")
        return s + "]\n" + pod()
    }

    /// Aliases in a non-scalar mapping key: a key hashed by walking its whole expansion.
    static func aliasComplexKey(_ rng: inout FuzzRandom) -> String {
        let levels = rng.int(in: 3...9)
        let width = rng.int(in: 2...9)
        let gap = rng.pick([" ", "", "\t", " \t", "  ", "\t "])
        var s = ladder(levels: levels, width: width, prefix: "k", indent: "", separator: rng.pick([",", ", ", ",\t"]))
        let top = "*k\(levels)"
        switch rng.below(7) {
        case 0: s += "? \(top)\n: x\n"
        case 1: s += "[\(top)]\(gap): x\n"
        case 2: s += "{a: \(top)}\(gap): x\n"
        case 3: s += "\(top)\(gap): x\n"
        case 4: s += "m: {[\(top)]\(gap): x}\n"
        case 5: s += "{\"q\":\(top)}\(gap): x\n"
        default: s += "m:\n  ? - \(top)\n  : x\n"
        }
        return s + "kind: Pod\n"
    }

    static func mergeBomb(_ rng: inout FuzzRandom) -> String {
        let levels = rng.int(in: 3...10)
        var s = "m0: &m0 {a: 1, b: 2}\n"
        for level in 1...levels {
            s +=
                "m\(level): &m\(level)\n  <<: [" + Array(repeating: "*m\(level - 1)", count: rng.int(in: 2...8)).joined(separator: ", ")
                + "]\n  k\(level): \(level)\n"
        }
        return pod(extraMetadata: "  labels:\n    <<: *m\(levels)\n") + s
    }

    static func deepFlow(cap: Int, _ rng: inout FuzzRandom, json: Bool = false) -> String {
        let depth = min(cap / 2, rng.pick([150, 199, 200, 201, 250, 999, 1000, 1001, 5000, 100_000, 400_000]))
        let open = json ? rng.pick(["[", "{\"a\":"]) : rng.pick(["[", "{a: ", "[{a: ", "{? "])
        let close = open == "[" ? "]" : (open == "[{a: " ? "}]" : "}")
        let closed = rng.chance(70)
        let inner = String(repeating: open, count: depth) + "1" + (closed ? String(repeating: close, count: depth) : "")
        if json { return "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":" + inner + "}" }
        return rng.chance(50) ? inner + "\n" : pod(extraMetadata: "  labels: " + inner + "\n")
    }

    static func deepBlock(cap: Int, _ rng: inout FuzzRandom) -> String {
        if rng.chance(50) {
            // `- - - - x`: block sequences nested on one line.
            let depth = min(cap / 2, rng.pick([150, 200, 201, 999, 1000, 1001, 10_000, 200_000]))
            return String(repeating: "- ", count: depth) + "x\n"
        }
        var s = ""
        let depth = rng.pick([50, 150, 200, 201, 400, 999, 1001])
        var indent = 0
        for level in 0..<depth {
            s += String(repeating: " ", count: indent) + "k\(level):\n"
            indent += 1
            if s.utf8.count > cap { break }
        }
        return s + String(repeating: " ", count: indent) + "leaf\n"
    }

    static func manyDocuments(cap: Int, _ rng: inout FuzzRandom) -> String {
        let count = min(cap / 4, rng.pick([2, 100, 9_999, 10_000, 10_001, 50_000, 250_000]))
        switch rng.below(3) {
        case 0: return String(repeating: "---\n", count: count)
        case 1: return String(repeating: "--- ~\n", count: count)
        default:
            var s = ""
            for i in 0..<count {
                s += "---\n" + pod(name: "p\(i % 50)")
                if s.utf8.count > cap { break }
            }
            return s
        }
    }

    static func longLine(cap: Int, _ rng: inout FuzzRandom) -> String {
        let length = min(max(1, cap - 200), rng.pick([1_000, 65_536, 300_000, 1 << 20]))
        let c = rng.pick(["a", "é", " ", "-", "\\\\", "9", "😀"])
        let run = String(repeating: c, count: length / max(1, c.utf8.count))
        switch rng.below(6) {
        case 0: return pod(name: run)
        case 1: return pod(container: "    args: [\"\(run)\"]\n")
        case 2: return "# \(run)\n" + pod()
        case 3: return pod(extraMetadata: "  labels:\n    \(run): x\n")
        case 4: return "{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"\(run)\"}}"
        default: return pod(extraMetadata: "  annotations:\n    a: |\n      \(run)\n")
        }
    }

    static func manyKeys(cap: Int, _ rng: inout FuzzRandom) -> String {
        let count = min(cap / 12, rng.pick([64, 1_000, 10_000, 100_001, 200_000]))
        var s = rng.chance(50) ? "  labels:\n" : "  annotations:\n"
        for i in 0..<count { s += "    k\(i): v\(i)\n" }
        return pod(extraMetadata: s)
    }

    static func manyContainers(cap: Int, _ rng: inout FuzzRandom) -> String {
        let count = min(cap / 48, rng.pick([10, 300, 1_000, 5_000, 20_000]))
        let duplicateNames = rng.chance(20)
        var s = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: many\nspec:\n  containers:\n"
        for i in 0..<count {
            s += "  - name: c\(duplicateNames ? i % 7 : i)\n    image: img\(i % 3)\n"
            if rng.chance(10) { s += "    ports: [{containerPort: \(i % 70_000)}]\n" }
        }
        return s
    }

    static func duplicateKeys(cap: Int, _ rng: inout FuzzRandom) -> String {
        let count = min(cap / 12, rng.pick([2, 16, 17, 100, 5_000]))
        var s = "apiVersion: v1\nkind: Pod\nmetadata:\n"
        for i in 0..<count { s += rng.chance(50) ? "  name: n\(i)\n" : "  \"name\": n\(i)\n" }
        return s + "spec:\n  containers:\n  - name: app\n    image: nginx\n"
    }

    static func manyAnchors(cap: Int, _ rng: inout FuzzRandom) -> String {
        let count = min(cap / 24, rng.pick([100, 10_000, 100_000]))
        var s = "list:\n"
        for i in 0..<count { s += rng.chance(50) ? "- &a\(i) v\(i)\n" : "- *a\(max(0, i - 1))\n" }
        return s + pod()
    }

    static func directives(_ rng: inout FuzzRandom) -> String {
        let heads = [
            "%YAML 1.1\n---\n", "%YAML 1.2\n---\n", "%YAML 1.1\n%YAML 1.1\n---\n", "%TAG ! tag:yaml.org,2002:\n---\n",
            "%TAG !! tag:example.com,2000:\n---\n", "%FOO bar\n---\n", "%YAML 1.1\n", "--- !!map\n", "--- !!str\n", "--- |\n",
            "--- &root\n",
        ]
        return rng.pick(heads) + pod() + rng.pick(["", "...\n", "...\n%YAML 1.1\n---\n" + pod(name: "two"), "---\n...\n"])
    }

    static func unicodeNames(_ rng: inout FuzzRandom) -> String {
        let names = ["Ωmega", "e\u{301}", "İstanbul", "a\u{0}b", "\u{202E}web", "ｗｅｂ", "web\u{200B}", "😀", "x\u{FFFF}"]
        let name = rng.pick(names)
        return pod(
            name: FuzzText.quoted(name), extraMetadata: "  labels: {\(FuzzText.quoted(rng.pick(names))): \(FuzzText.quoted(name))}\n",
            container: "    env: [{name: \(FuzzText.quoted(rng.pick(names))), value: \(FuzzText.quoted(name))}]\n")
    }

    static func bigNumbers(_ rng: inout FuzzRandom) -> (bytes: [UInt8], json: Bool) {
        let n = rng.pick(HostileText.scalars.prefix(48).map { $0 })
        let digits = String(repeating: "9", count: rng.pick([20, 310, 400, 5_000]))
        let value = rng.chance(50) ? n : digits
        if rng.chance(50) {
            let json = """
                {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "n"}, "spec": {"terminationGracePeriodSeconds": \(value), \
                "containers": [{"name": "a", "image": "b", "ports": [{"containerPort": \(value)}]}]}}
                """
            return (Array(json.utf8), true)
        }
        return (
            Array(
                pod(
                    extraTop: "  activeDeadlineSeconds: \(value)\n  priority: \(value)\n",
                    container: "    ports: [{containerPort: \(value)}]\n"
                ).utf8), false
        )
    }

    static func utf16(_ rng: inout FuzzRandom) -> (bytes: [UInt8], json: Bool) {
        let text = pod()
        let bigEndian = rng.chance(50)
        var out: [UInt8] = bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]
        for unit in text.utf16 {
            let hi = UInt8(unit >> 8)
            let lo = UInt8(unit & 0xFF)
            out += bigEndian ? [hi, lo] : [lo, hi]
        }
        switch rng.below(4) {
        case 0: out.append(0x41)  // odd length
        case 1: out += bigEndian ? [0xD8, 0x00, 0x00, 0x41] : [0x00, 0xD8, 0x41, 0x00]  // unpaired surrogate
        default: break
        }
        return (out, rng.chance(20))
    }
}

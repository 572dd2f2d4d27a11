/// Byte-level mutations of manifest text: they know nothing of YAML beyond lines and `: `, and
/// so reach the parser's error paths and the corners of its grammar.
public enum ByteMutator {
    /// The mutations, in the order `mutate` numbers them.
    public static let names = [
        "flip-bit", "set-byte", "insert-random", "delete-range", "duplicate-range", "splice", "truncate", "insert-token",
        "huge-number", "unicode", "bad-utf8", "nul", "nesting", "alias-bomb", "tag", "long-line", "swap-lines", "repeat-line",
        "delete-line", "indent", "replace-value", "replace-digits",
    ]

    /// Applies mutation `names[which]` to `bytes`, growing it to at most `cap` bytes; `donors`
    /// are other seeds to splice from.
    public static func mutate(_ bytes: inout [UInt8], which: Int, donors: [FuzzSeed], cap: Int, rng: inout FuzzRandom) {
        let room = max(0, cap - bytes.count)
        switch names[which % names.count] {
        case "flip-bit":
            guard !bytes.isEmpty else { return }
            bytes[rng.below(bytes.count)] ^= UInt8(1 << rng.below(8))
        case "set-byte":
            guard !bytes.isEmpty else { return }
            let interesting: [UInt8] = [
                0x00, 0x09, 0x0A, 0x0D, 0x20, 0x22, 0x23, 0x26, 0x27, 0x2A, 0x2C, 0x2D, 0x3A, 0x3F, 0x5B, 0x5D, 0x7B, 0x7D, 0x7C, 0x3E,
                0x21, 0x25, 0x40, 0x60, 0x7F, 0x80, 0xFF,
            ]
            bytes[rng.below(bytes.count)] = rng.chance(50) ? rng.pick(interesting) : UInt8(truncatingIfNeeded: rng.next())
        case "insert-random":
            let n = min(room, rng.smallLength(max: 64))
            insert((0..<n).map { _ in UInt8(truncatingIfNeeded: rng.next()) }, into: &bytes, at: position(bytes, &rng))
        case "delete-range":
            guard !bytes.isEmpty else { return }
            let start = rng.below(bytes.count)
            let n = min(bytes.count - start, rng.smallLength(max: 512))
            bytes.removeSubrange(start..<(start + n))
        case "duplicate-range":
            guard !bytes.isEmpty else { return }
            let start = rng.below(bytes.count)
            let n = min(bytes.count - start, rng.smallLength(max: 4096))
            let chunk = Array(bytes[start..<(start + n)])
            let times = rng.chance(80) ? 1 : rng.smallLength(max: 1000)
            var add: [UInt8] = []
            for _ in 0..<times where add.count + chunk.count <= room { add += chunk }
            insert(add, into: &bytes, at: position(bytes, &rng))
        case "splice":
            guard let donor = donors.isEmpty ? nil : rng.pick(donors), !donor.bytes.isEmpty else { return }
            if rng.chance(50) {
                // This text's head, the donor's tail.
                let head = bytes.isEmpty ? 0 : rng.below(bytes.count)
                let tail = donor.bytes[rng.below(donor.bytes.count)...]
                bytes = Array(bytes[..<head]) + Array(tail.prefix(max(0, cap - head)))
            } else {
                let start = rng.below(donor.bytes.count)
                let n = min(donor.bytes.count - start, room, rng.smallLength(max: 4096))
                insert(Array(donor.bytes[start..<(start + n)]), into: &bytes, at: position(bytes, &rng))
            }
        case "truncate":
            guard !bytes.isEmpty else { return }
            bytes.removeSubrange(rng.below(bytes.count)...)
        case "insert-token":
            insert(Array(rng.pick(HostileText.tokens).utf8), into: &bytes, at: position(bytes, &rng), room: room)
        case "huge-number":
            let digits =
                rng.chance(50)
                ? rng.pick([
                    "1e400", "-1e400", "9223372036854775808", "-9223372036854775809", "18446744073709551616",
                    "0x" + String(repeating: "F", count: 40), "1" + String(repeating: "0", count: 400),
                ]) : String(repeating: "9", count: rng.smallLength(max: 5000))
            insert(Array(digits.utf8), into: &bytes, at: position(bytes, &rng), room: room)
        case "unicode":
            var s = ""
            for _ in 0..<rng.smallLength(max: 64) {
                let planes: [ClosedRange<UInt32>] = [
                    0x80...0x7FF, 0x800...0xD7FF, 0xE000...0xFFFF, 0x10000...0x10FFFF, 0x300...0x36F, 0x2000...0x206F,
                ]
                let r = rng.pick(planes)
                if let u = Unicode.Scalar(r.lowerBound + UInt32(rng.below(Int(r.upperBound - r.lowerBound) + 1))) {
                    s.unicodeScalars.append(u)
                }
            }
            insert(Array(s.utf8), into: &bytes, at: position(bytes, &rng), room: room)
        case "bad-utf8":
            insert(rng.pick(HostileText.badBytes), into: &bytes, at: rng.chance(20) ? 0 : position(bytes, &rng), room: room)
        case "nul":
            insert(Array(repeating: 0, count: rng.smallLength(max: 8)), into: &bytes, at: position(bytes, &rng), room: room)
        case "nesting":
            let depth = min(room / 2, rng.pick([100, 200, 201, 999, 1000, 1001, 5000, 50_000]))
            let open = rng.pick(["[", "{", "{a:", "- ", "[{", "? "])
            var s = String(repeating: open, count: depth)
            if rng.chance(50) { s += String(repeating: open == "[" ? "]" : "}", count: depth) }
            insert(Array(s.utf8), into: &bytes, at: position(bytes, &rng), room: room)
        case "alias-bomb":
            let bomb = AliasLadder.make(&rng)
            if rng.chance(50) {
                insert(Array(bomb.utf8), into: &bytes, at: 0, room: room)
            } else {
                insert(Array(("\n" + bomb).utf8), into: &bytes, at: lineStart(bytes, &rng), room: room)
            }
        case "tag":
            let tag = rng.pick([
                "!!binary ", "!!str ", "!!int ", "!!float ", "!!bool ", "!!null ", "!!map ", "!!seq ", "!!set ", "!!omap ", "!!timestamp ",
                "!x ", "!<tag:yaml.org,2002:int> ", "!! ",
            ])
            insert(Array(tag.utf8), into: &bytes, at: afterColon(bytes, &rng), room: room)
        case "long-line":
            let n = min(room, rng.smallLength(max: 1 << 20))
            let c = rng.pick(Array("a9 -:#[\"'\\".utf8))
            insert(Array(repeating: c, count: n), into: &bytes, at: position(bytes, &rng))
        case "swap-lines":
            var lines = split(bytes)
            guard lines.count >= 2 else { return }
            lines.swapAt(rng.below(lines.count), rng.below(lines.count))
            bytes = join(lines)
        case "repeat-line":
            var lines = split(bytes)
            guard !lines.isEmpty else { return }
            let i = rng.below(lines.count)
            let times = min(rng.smallLength(max: 10_000), room / max(1, lines[i].count + 1))
            lines.insert(contentsOf: Array(repeating: lines[i], count: times), at: i)
            bytes = join(lines)
        case "delete-line":
            var lines = split(bytes)
            guard !lines.isEmpty else { return }
            lines.remove(at: rng.below(lines.count))
            bytes = join(lines)
        case "indent":
            var lines = split(bytes)
            guard !lines.isEmpty else { return }
            let i = rng.below(lines.count)
            switch rng.below(4) {
            case 0: lines[i].insert(contentsOf: Array(repeating: 0x20, count: rng.int(in: 1...4)), at: 0)
            case 1: if lines[i].first == 0x20 { lines[i].removeFirst(min(lines[i].count, rng.int(in: 1...2))) }
            case 2: lines[i].insert(0x09, at: 0)
            default:
                // Shift every line after i.
                for k in i..<lines.count { lines[k].insert(0x20, at: 0) }
            }
            bytes = join(lines)
        case "replace-value":
            let at = afterColon(bytes, &rng)
            var end = at
            while end < bytes.count, bytes[end] != 0x0A { end += 1 }
            bytes.replaceSubrange(at..<end, with: Array(rng.pick(HostileText.scalars).utf8).prefix(room + (end - at)))
        default:  // replace-digits
            var runs: [Range<Int>] = []
            var i = 0
            while i < bytes.count {
                if bytes[i] >= 0x30 && bytes[i] <= 0x39 {
                    let s = i
                    while i < bytes.count, bytes[i] >= 0x30 && bytes[i] <= 0x39 { i += 1 }
                    runs.append(s..<i)
                } else {
                    i += 1
                }
            }
            guard !runs.isEmpty else { return }
            let number = rng.pick(Array(HostileText.scalars.prefix(48)))
            bytes.replaceSubrange(rng.pick(runs), with: Array(number.utf8))
        }
    }

    // MARK: Positions

    /// A position: anywhere, at a line start, or just after a `: `.
    static func position(_ bytes: [UInt8], _ rng: inout FuzzRandom) -> Int {
        switch rng.below(3) {
        case 0: return rng.below(bytes.count + 1)
        case 1: return lineStart(bytes, &rng)
        default: return afterColon(bytes, &rng)
        }
    }

    static func lineStart(_ bytes: [UInt8], _ rng: inout FuzzRandom) -> Int {
        guard !bytes.isEmpty else { return 0 }
        var i = rng.below(bytes.count)
        while i > 0, bytes[i - 1] != 0x0A { i -= 1 }
        return i
    }

    /// Just after a `: ` (or `:` at the end of a line) found from a random point, else anywhere.
    static func afterColon(_ bytes: [UInt8], _ rng: inout FuzzRandom) -> Int {
        guard !bytes.isEmpty else { return 0 }
        let start = rng.below(bytes.count)
        var i = start
        for _ in 0..<bytes.count {
            if bytes[i] == 0x3A {
                if i + 1 < bytes.count, bytes[i + 1] == 0x20 { return i + 2 }
                if i + 1 == bytes.count || bytes[i + 1] == 0x0A { return i + 1 }
            }
            i = (i + 1) % bytes.count
        }
        return start
    }

    static func insert(_ add: [UInt8], into bytes: inout [UInt8], at: Int, room: Int = .max) {
        bytes.insert(contentsOf: add.prefix(room), at: min(max(0, at), bytes.count))
    }

    static func split(_ bytes: [UInt8]) -> [[UInt8]] { bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init) }

    static func join(_ lines: [[UInt8]]) -> [UInt8] { Array(lines.joined(separator: [0x0A])) }
}

/// A small alias ladder to insert as text.
enum AliasLadder {
    static func make(_ rng: inout FuzzRandom) -> String {
        HostileDocuments.ladder(levels: rng.int(in: 2...10), width: rng.int(in: 2...10), prefix: "z", indent: "")
            + (rng.chance(50) ? "zz: *z\(rng.int(in: 0...10))\n" : "")
    }
}

/// Writes `FuzzNode` trees as YAML (block style, with some subtrees in flow style) or as JSON /
/// YAML flow text. The text is not checked: a mutated tree may well write something invalid,
/// which is the point.
public enum FuzzEmitter {
    /// The layout choices of one YAML document.
    public struct Style: Sendable {
        /// Spaces per nesting level (2 or 4 in practice).
        public var step: Int
        /// Percent of non-empty mappings and sequences written in flow style.
        public var flowPercent: Int
        /// Whether a sequence under a key is written at the key's indentation (`key:\n- a`), as
        /// kubectl does, instead of one level deeper.
        public var compactSequences: Bool

        public init(step: Int = 2, flowPercent: Int = 0, compactSequences: Bool = false) {
            self.step = step
            self.flowPercent = flowPercent
            self.compactSequences = compactSequences
        }

        /// A style drawn from `rng`.
        public static func random(_ rng: inout FuzzRandom) -> Style {
            Style(
                step: rng.chance(85) ? 2 : rng.pick([1, 3, 4, 8]), flowPercent: rng.chance(70) ? 0 : rng.int(in: 1...60),
                compactSequences: rng.chance(50))
        }
    }

    /// One document as block YAML, starting with `---` when `explicitStart`.
    public static func yaml(_ node: FuzzNode, style: Style, explicitStart: Bool, rng: inout FuzzRandom) -> String {
        var out = explicitStart ? "---" : ""
        if !explicitStart, case .mapping(let pairs) = node, !pairs.isEmpty {
            // A bare root mapping: the first key starts the text.
            writePairs(pairs, indent: 0, style: style, rng: &rng, out: &out)
            return out
        }
        if !explicitStart, case .sequence(let items) = node, !items.isEmpty {
            writeItems(items, indent: 0, style: style, rng: &rng, out: &out)
            return out
        }
        if !explicitStart { out = "---" }
        writeValue(node, indent: -style.step, style: style, rng: &rng, out: &out)
        return out
    }

    /// The node in flow style on one line: JSON when its scalars are JSON.
    public static func flow(_ node: FuzzNode) -> String {
        var out = ""
        writeFlow(node, out: &out)
        return out
    }

    private static func writeFlow(_ node: FuzzNode, out: inout String) {
        switch node {
        case .scalar(let s): out += s
        case .decorated(let prefix, let inner):
            out += prefix + " "
            writeFlow(inner, out: &out)
        case .sequence(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += ", " }
                writeFlow(item, out: &out)
            }
            out += "]"
        case .mapping(let pairs):
            out += "{"
            for (i, pair) in pairs.enumerated() {
                if i > 0 { out += ", " }
                out += pair.key + ": "
                writeFlow(pair.value, out: &out)
            }
            out += "}"
        }
    }

    /// Writes what follows `key:` or `-` (which the caller wrote, with no space), ending the line.
    private static func writeValue(_ node: FuzzNode, indent: Int, style: Style, rng: inout FuzzRandom, out: inout String) {
        switch node {
        case .scalar(let s):
            out += s.isEmpty ? "\n" : " " + s + "\n"
        case .decorated(let prefix, let inner):
            out += " " + prefix
            writeValue(inner, indent: indent, style: style, rng: &rng, out: &out)
        case .mapping(let pairs):
            if pairs.isEmpty || rng.chance(style.flowPercent) {
                out += " " + flow(node) + "\n"
            } else {
                out += "\n"
                writePairs(pairs, indent: indent + style.step, style: style, rng: &rng, out: &out)
            }
        case .sequence(let items):
            if items.isEmpty || rng.chance(style.flowPercent) {
                out += " " + flow(node) + "\n"
            } else {
                out += "\n"
                let at = style.compactSequences && indent >= 0 ? indent : indent + style.step
                writeItems(items, indent: at, style: style, rng: &rng, out: &out)
            }
        }
    }

    private static func writePairs(_ pairs: [FuzzPair], indent: Int, style: Style, rng: inout FuzzRandom, out: inout String) {
        let pad = String(repeating: " ", count: max(0, indent))
        for pair in pairs {
            out += pad + pair.key + ":"
            writeValue(pair.value, indent: indent, style: style, rng: &rng, out: &out)
        }
    }

    private static func writeItems(_ items: [FuzzNode], indent: Int, style: Style, rng: inout FuzzRandom, out: inout String) {
        let pad = String(repeating: " ", count: max(0, indent))
        // A sequence directly in a sequence cannot share its parent's indentation.
        var inner = style
        inner.compactSequences = false
        for item in items {
            out += pad + "-"
            writeValue(item, indent: indent, style: inner, rng: &rng, out: &out)
        }
    }
}

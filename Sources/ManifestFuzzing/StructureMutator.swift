import Foundation

/// Mutations of a parsed seed's tree: they keep the text well-formed YAML (mostly) and so reach
/// decoding, defaulting and validation with values of the wrong type, extremes, missing and
/// repeated keys, deep lists, anchors, merges and tags.
public enum StructureMutator {
    /// The mutations, in the order `mutate` numbers them.
    public static let names = [
        "wrong-type", "extreme-number", "remove-key", "duplicate-key", "duplicate-item", "empty-container", "to-scalar",
        "wrap", "nest-deeply", "rename-key", "unknown-key", "graft", "anchor-alias", "merge-key", "tag", "kind",
    ]

    /// A path to a node: the index of the pair or item at each level.
    public typealias Path = [Int]

    /// Applies mutation `names[which]` to `tree`; `donors` supply subtrees to graft.
    public static func mutate(_ tree: inout FuzzNode, which: Int, donors: [FuzzNode], rng: inout FuzzRandom) {
        switch names[which % names.count] {
        case "wrong-type":
            let path = rng.pick(paths(in: tree))
            let replacement: FuzzNode =
                switch rng.below(4) {
                case 0: .mapping([FuzzPair(key: rng.pick(HostileText.fieldNames), value: .scalar(rng.pick(HostileText.scalars)))])
                case 1: .sequence([.scalar(rng.pick(HostileText.scalars))])
                default: .scalar(rng.pick(HostileText.scalars))
                }
            modify(&tree, at: path[...]) { $0 = replacement }
        case "extreme-number":
            let numeric = paths(in: tree) { node in
                if case .scalar(let s) = node, let c = s.utf8.first { return (c >= 0x30 && c <= 0x39) || c == 0x2D || c == 0x2B }
                return false
            }
            let path = numeric.isEmpty ? rng.pick(paths(in: tree)) : rng.pick(numeric)
            let value = rng.pick(Array(HostileText.scalars.prefix(48)))
            modify(&tree, at: path[...]) { $0 = .scalar(value) }
        case "remove-key":
            let maps = paths(in: tree) { if case .mapping(let p) = $0 { return !p.isEmpty } else { return false } }
            guard !maps.isEmpty else { return }
            let path = rng.pick(maps)
            modify(&tree, at: path[...]) { node in
                if case .mapping(var pairs) = node, !pairs.isEmpty {
                    pairs.remove(at: rng.below(pairs.count))
                    node = .mapping(pairs)
                }
            }
        case "duplicate-key":
            let maps = paths(in: tree) { if case .mapping(let p) = $0 { return !p.isEmpty } else { return false } }
            guard !maps.isEmpty else { return }
            let path = rng.pick(maps)
            modify(&tree, at: path[...]) { node in
                if case .mapping(var pairs) = node, !pairs.isEmpty {
                    var copy = pairs[rng.below(pairs.count)]
                    if rng.chance(50) { copy.value = .scalar(rng.pick(HostileText.scalars)) }
                    if rng.chance(20) { copy.key = FuzzText.quoted(copy.key) }
                    pairs.insert(copy, at: rng.below(pairs.count + 1))
                    node = .mapping(pairs)
                }
            }
        case "duplicate-item":
            let seqs = paths(in: tree) { if case .sequence(let s) = $0 { return !s.isEmpty } else { return false } }
            guard !seqs.isEmpty else { return }
            let path = rng.pick(seqs)
            let times = rng.chance(70) ? 1 : rng.pick([10, 100, 300, 1_000])
            modify(&tree, at: path[...]) { node in
                if case .sequence(var items) = node, !items.isEmpty {
                    let i = rng.below(items.count)
                    items.insert(contentsOf: Array(repeating: items[i], count: times), at: i)
                    node = .sequence(items)
                }
            }
        case "empty-container":
            let path = rng.pick(paths(in: tree))
            let empty: FuzzNode = rng.chance(50) ? .mapping([]) : .sequence([])
            modify(&tree, at: path[...]) { $0 = empty }
        case "to-scalar":
            let containers = paths(in: tree) { !$0.isScalar }
            guard !containers.isEmpty else { return }
            let value = rng.pick(HostileText.scalars)
            modify(&tree, at: rng.pick(containers)[...]) { $0 = .scalar(value) }
        case "wrap":
            let path = rng.pick(paths(in: tree))
            let key = rng.pick(HostileText.fieldNames)
            let asList = rng.chance(50)
            modify(&tree, at: path[...]) { $0 = asList ? .sequence([$0]) : .mapping([FuzzPair(key: key, value: $0)]) }
        case "nest-deeply":
            let path = rng.pick(paths(in: tree))
            if rng.chance(50) {
                let depth = rng.int(in: 2...60)
                modify(&tree, at: path[...]) { node in
                    for _ in 0..<depth { node = .sequence([node]) }
                }
            } else {
                let depth = rng.pick([100, 199, 200, 201, 1_000, 1_001, 10_000])
                let open = rng.pick(["[", "{a: ", "[{a: "])
                let close = open == "[" ? "]" : (open == "{a: " ? "}" : "}]")
                let text = String(repeating: open, count: depth) + "x" + String(repeating: close, count: depth)
                modify(&tree, at: path[...]) { $0 = .scalar(text) }
            }
        case "rename-key":
            let maps = paths(in: tree) { if case .mapping(let p) = $0 { return !p.isEmpty } else { return false } }
            guard !maps.isEmpty else { return }
            modify(&tree, at: rng.pick(maps)[...]) { node in
                if case .mapping(var pairs) = node, !pairs.isEmpty {
                    let i = rng.below(pairs.count)
                    pairs[i].key = nearMiss(pairs[i].key, &rng)
                    node = .mapping(pairs)
                }
            }
        case "unknown-key":
            let maps = paths(in: tree) { if case .mapping = $0 { return true } else { return false } }
            guard !maps.isEmpty else { return }
            let key = rng.pick(HostileText.fieldNames)
            let value: FuzzNode =
                rng.chance(50) || donors.isEmpty ? .scalar(rng.pick(HostileText.scalars)) : randomSubtree(rng.pick(donors), &rng)
            modify(&tree, at: rng.pick(maps)[...]) { node in
                if case .mapping(var pairs) = node {
                    pairs.insert(FuzzPair(key: key, value: value), at: rng.below(pairs.count + 1))
                    node = .mapping(pairs)
                }
            }
        case "graft":
            guard !donors.isEmpty else { return }
            let graft = randomSubtree(rng.pick(donors), &rng)
            modify(&tree, at: rng.pick(paths(in: tree))[...]) { $0 = graft }
        case "anchor-alias":
            let all = paths(in: tree)
            let anchored = rng.pick(all)
            let name = rng.pick(["a", "b", "anchor", "x1"])
            modify(&tree, at: anchored[...]) { $0 = .decorated("&" + name, $0) }
            for _ in 0..<rng.int(in: 1...4) {
                let aliasAt = rng.pick(all)
                // The alias may land inside its own anchor, or before it: both are errors worth reaching.
                modify(&tree, at: aliasAt[...]) { $0 = .scalar("*" + name) }
            }
        case "merge-key":
            let maps = paths(in: tree) { if case .mapping = $0 { return true } else { return false } }
            guard !maps.isEmpty else { return }
            let source = rng.pick(maps)
            modify(&tree, at: source[...]) { $0 = .decorated("&m", $0) }
            let value: FuzzNode =
                switch rng.below(4) {
                case 0: .scalar("*m")
                case 1: .scalar("[*m, *m]")
                case 2: .mapping([FuzzPair(key: rng.pick(HostileText.fieldNames), value: .scalar(rng.pick(HostileText.scalars)))])
                default: .scalar(rng.pick(HostileText.scalars))
                }
            modify(&tree, at: rng.pick(maps)[...]) { node in
                if case .mapping(var pairs) = node {
                    pairs.insert(FuzzPair(key: "<<", value: value), at: rng.below(pairs.count + 1))
                    node = .mapping(pairs)
                }
            }
        case "tag":
            let tag = rng.pick(["!!map", "!!seq", "!!str", "!!binary", "!!set", "!!omap", "!!pairs", "!!int", "!!null", "!custom", "!"])
            modify(&tree, at: rng.pick(paths(in: tree))[...]) { $0 = .decorated(tag, $0) }
        default:  // kind
            guard case .mapping(var pairs) = tree else { return }
            let key = rng.chance(50) ? "kind" : "apiVersion"
            let value = rng.pick(["Pod", "pod", "v1", "v2", "apps/v1", "Deployment", "List", "PodList", "\"\"", "null", "[]", "1"])
            if let i = pairs.firstIndex(where: { $0.key == key }) {
                pairs[i].value = .scalar(value)
            } else {
                pairs.append(FuzzPair(key: key, value: .scalar(value)))
            }
            tree = .mapping(pairs)
        }
    }

    /// Every node's path (the root's is empty), in document order; with `where`, only the nodes
    /// it accepts (maybe none).
    public static func paths(in tree: FuzzNode, where accept: (FuzzNode) -> Bool = { _ in true }) -> [Path] {
        var out: [Path] = []
        var current: Path = []
        collect(tree, &current, &out, accept)
        return out
    }

    private static func collect(_ node: FuzzNode, _ current: inout Path, _ out: inout [Path], _ accept: (FuzzNode) -> Bool) {
        if accept(node) { out.append(current) }
        switch node {
        case .scalar: break
        case .decorated(_, let inner):
            if case .scalar = inner { return }
            // The decorated node's children, with the same path (decorations are looked through).
            var children: [FuzzNode] = []
            if case .sequence(let items) = inner { children = items }
            if case .mapping(let pairs) = inner { children = pairs.map(\.value) }
            for (i, child) in children.enumerated() {
                current.append(i)
                collect(child, &current, &out, accept)
                current.removeLast()
            }
        case .sequence(let items):
            for (i, child) in items.enumerated() {
                current.append(i)
                collect(child, &current, &out, accept)
                current.removeLast()
            }
        case .mapping(let pairs):
            for (i, pair) in pairs.enumerated() {
                current.append(i)
                collect(pair.value, &current, &out, accept)
                current.removeLast()
            }
        }
    }

    /// Calls `change` on the node at `path` (a path that no longer fits changes nothing).
    public static func modify(_ node: inout FuzzNode, at path: ArraySlice<Int>, _ change: (inout FuzzNode) -> Void) {
        guard let first = path.first else {
            change(&node)
            return
        }
        switch node {
        case .scalar: return
        case .decorated(let prefix, var inner):
            modify(&inner, at: path, change)
            node = .decorated(prefix, inner)
        case .sequence(var items):
            guard first < items.count else { return }
            modify(&items[first], at: path.dropFirst(), change)
            node = .sequence(items)
        case .mapping(var pairs):
            guard first < pairs.count else { return }
            modify(&pairs[first].value, at: path.dropFirst(), change)
            node = .mapping(pairs)
        }
    }

    /// The node at a random path of `tree`.
    static func randomSubtree(_ tree: FuzzNode, _ rng: inout FuzzRandom) -> FuzzNode {
        node(at: rng.pick(paths(in: tree))[...], in: tree) ?? tree
    }

    /// The node at `path`, nil when the path does not fit.
    public static func node(at path: ArraySlice<Int>, in tree: FuzzNode) -> FuzzNode? {
        guard let first = path.first else { return tree }
        switch tree {
        case .scalar: return nil
        case .decorated(_, let inner): return node(at: path, in: inner)
        case .sequence(let items): return first < items.count ? node(at: path.dropFirst(), in: items[first]) : nil
        case .mapping(let pairs): return first < pairs.count ? node(at: path.dropFirst(), in: pairs[first].value) : nil
        }
    }

    /// `key` slightly wrong: another case, a letter more or less, quoted, a lookalike letter.
    static func nearMiss(_ key: String, _ rng: inout FuzzRandom) -> String {
        switch rng.below(6) {
        case 0: return key.uppercased()
        case 1: return key + "s"
        case 2: return String(key.dropLast())
        case 3: return FuzzText.quoted(key + " ")
        case 4: return key.replacingOccurrences(of: "e", with: "\u{435}")  // Cyrillic e
        default: return rng.pick(HostileText.fieldNames)
        }
    }
}

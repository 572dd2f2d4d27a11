import Yams

/// Turns one Yams node tree into a JSONValue, counting expansion and depth.
struct YAMLNodeConverter {
    enum PathElement {
        case key(String)
        case index(Int)
    }

    let limits: ManifestLimits
    let sentinel: String?
    /// The tag Yams' resolver gave the plain scalars that carried no tag in the text: Yams
    /// resolves the tag of every mapping key when it checks the mapping for duplicates (and a
    /// key's node may come back as a value through an alias), so such a scalar's tag is this one
    /// instead of the empty implicit tag. See `YAMLManifestParser.resolver(marking:)`.
    let implicitTag: String
    var nodes = 0
    var bytes = 0

    init(limits: ManifestLimits, sentinel: String?, implicitTag: String) {
        self.limits = limits
        self.sentinel = sentinel
        self.implicitTag = implicitTag
    }

    /// The scalar's tag as written in the text: nil when it had none.
    private func writtenTag(_ s: Node.Scalar) -> String? {
        let tag = s.tag.rawValue
        if tag.isEmpty || (s.style == .plain && tag == implicitTag) { return nil }
        return tag
    }

    static func render(_ path: [PathElement]) -> String {
        var s = ""
        for e in path {
            switch e {
            case .key(let k): s += s.isEmpty ? k : ".\(k)"
            case .index(let i): s += "[\(i)]"
            }
        }
        return s.isEmpty ? "<root>" : s
    }

    private func fail(_ message: String, _ mark: Mark?) -> ManifestSyntaxError {
        if let line = mark?.line { return ManifestSyntaxError(message: "yaml: line \(line): \(message)", line: line) }
        return ManifestSyntaxError(message: "yaml: \(message)", line: nil)
    }

    /// Resolutions of long scalars met again through aliases: a plain scalar of thousands of
    /// digits costs a millisecond to resolve, and a document may expand one thousands of times
    /// within its byte budget.
    private var longScalars: [LongScalar: YAMLScalarResolver.Resolved] = [:]

    private struct LongScalar: Hashable {
        var text: String
        var tag: String?
        var plain: Bool
    }

    private mutating func resolve(_ s: Node.Scalar) -> YAMLScalarResolver.Resolved {
        let tag = writtenTag(s)
        guard s.string.utf8.count > 64 else { return YAMLScalarResolver.resolve(s.string, tag: tag, plain: s.style == .plain) }
        let key = LongScalar(text: s.string, tag: tag, plain: s.style == .plain)
        if let known = longScalars[key] { return known }
        let resolved = YAMLScalarResolver.resolve(s.string, tag: tag, plain: s.style == .plain)
        if longScalars.count < 1024 { longScalars[key] = resolved }
        return resolved
    }

    mutating func convert(_ node: Node, path: [PathElement], depth: Int) throws -> JSONValue {
        nodes += 1
        if nodes > limits.maxNodesPerDocument {
            throw fail("document contains excessive aliasing: it expands to more than \(limits.maxNodesPerDocument) nodes", node.mark)
        }
        switch node {
        case .scalar(let s):
            bytes += s.string.utf8.count
            if bytes > limits.maxExpandedBytesPerDocument {
                throw fail(
                    "document contains excessive aliasing: it expands to more than \(limits.maxExpandedBytesPerDocument) bytes of text",
                    s.mark)
            }
            switch resolve(s) {
            case .value(let v):
                if case .number(let d) = v, !d.isFinite {
                    throw fail("json: unsupported value: \(d.isNaN ? "NaN" : (d > 0 ? "+Inf" : "-Inf")) (at \(Self.render(path)))", s.mark)
                }
                return v
            case .merge:
                return .string(s.string)
            case .failure(let message):
                throw fail(message, s.mark)
            }
        case .sequence(let seq):
            if depth >= limits.maxDepth { throw fail("exceeded max depth of \(limits.maxDepth)", seq.mark) }
            var out: [JSONValue] = []
            out.reserveCapacity(seq.count)
            for (i, child) in seq.enumerated() {
                out.append(try convert(child, path: path + [.index(i)], depth: depth + 1))
            }
            return .array(out)
        case .mapping(let map):
            if depth >= limits.maxDepth { throw fail("exceeded max depth of \(limits.maxDepth)", map.mark) }
            var obj: [String: JSONValue] = [:]
            var keyLines: [String: Int] = [:]
            var merged: [String: JSONValue] = [:]
            for pair in map {
                guard case .scalar(let ks) = pair.key else {
                    throw fail(
                        "invalid map key at \(Self.render(path)): a mapping key must be a scalar, not a \(pair.key.isMapping ? "mapping" : "sequence")",
                        pair.key.mark)
                }
                let tag = writtenTag(ks)
                let plain = ks.style == .plain
                if YAMLScalarResolver.isMergeKey(ks.string, tag: tag, plain: plain) {
                    let source = try convert(pair.value, path: path + [.key("<<")], depth: depth + 1)
                    let maps: [[String: JSONValue]]
                    switch source {
                    case .object(let o): maps = [o]
                    case .array(let a):
                        maps = try a.map {
                            guard case .object(let o) = $0 else {
                                throw fail("map merge requires map or sequence of maps as the value", pair.value.mark)
                            }
                            return o
                        }
                    default: throw fail("map merge requires map or sequence of maps as the value", pair.value.mark)
                    }
                    for m in maps { for (k, v) in m where merged[k] == nil { merged[k] = v } }
                    continue
                }
                nodes += 1
                // A key renamed by a duplicate-key pass is resolved as written without its
                // sentinel (a plain `y` is the key "true" whether it was renamed or not).
                let text = sentinel == nil ? ks.string : YAMLManifestParser.removingSentinel(ks.string)
                let keyValue: JSONValue
                switch YAMLScalarResolver.resolve(text, tag: tag, plain: plain) {
                case .value(let v): keyValue = v
                case .merge: keyValue = .string(text)
                case .failure(let m): throw fail(m, ks.mark)
                }
                guard let key = YAMLScalarResolver.jsonKey(for: keyValue) else {
                    throw fail("invalid map key at \(Self.render(path)): JSON cannot carry a null key", ks.mark)
                }
                let line = ks.mark?.line ?? 0
                if let first = keyLines[key] {
                    throw ManifestSyntaxError(
                        message:
                            "yaml: line \(line): mapping key \(GoQuote.quote(key)) already defined at line \(first) (\(Self.render(path + [.key(key)])))",
                        line: line)
                }
                keyLines[key] = line
                obj[key] = try convert(pair.value, path: path + [.key(key)], depth: depth + 1)
            }
            for (k, v) in merged where obj[k] == nil { obj[k] = v }
            return .object(obj)
        case .alias(let a):
            throw fail("unresolved alias \(a)", nil)
        }
    }
}

extension Node {
    fileprivate var isMapping: Bool {
        if case .mapping = self { return true }
        return false
    }
}

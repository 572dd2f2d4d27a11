// libyaml's C API, as Yams builds it (its CYaml module): the guard reads the same event stream Yams
// composes. CYaml is not a product of Yams, but SwiftPM makes the module map of every C target of
// a dependency visible to its dependents; if a Yams release renamed it, this import would fail to
// compile (loudly, not silently).
import CYaml

/// Keeps Yams from composing a text whose mapping keys would cost it unbounded time. Yams checks
/// every mapping for duplicate keys by hashing the key nodes while it composes a document, and a
/// key's hash walks the whole key:
/// - a key that holds aliases walks their expansion, so `? *lol9 : x`, `[*lol9]: x` or
///   `{*lol9}` after a billion-laughs ladder would run for hours before this agent's own node
///   budget could stop it: a text with aliases and non-scalar (or alias) keys is refused whole,
///   `yaml: aliases used together with complex (non-scalar) mapping keys are not supported`;
/// - a non-scalar key inside a non-scalar key is hashed again at every level (`? ? ? ... x`, a
///   time quadratic in the depth, minutes for one file): the document is not composed, and is
///   rejected with the error the converter gives for its outer key,
///   `yaml: line 9: invalid map key at metadata: a mapping key must be a scalar, not a mapping`.
/// Kubernetes manifests never need either (every non-scalar key is an error anyway).
///
/// It also keeps Yams from building a document of more nodes than the converter accepts
/// (`ManifestLimits.maxNodesPerDocument`): Yams composes a whole document before the converter
/// counts it, at about 150 bytes a node, so a 4 MiB flow list of 2 million numbers cost 3 s and
/// 300 MiB only to be rejected. Such a document is rejected unread,
/// `yaml: line 1: document has more than 100000 nodes`. (Texts under a third of that many bytes
/// cannot have that many nodes and are not counted.) Likewise a collection nested deeper than
/// `ManifestLimits.maxDepth` stops its document (`yaml: line 3: exceeded max depth of 200`, as the
/// converter words it): libyaml checks every open flow collection at every token, so 1,000 nested
/// lists cost it a thousand times more per token than one, and it accepts 1,000.
///
/// The scan also measures what a parse of the text costs (`Scan.cost`: bytes plus, for every
/// event, the collections open around it), so that YAMLManifestParser can bound how often it
/// parses a text again to report a duplicate key.
///
/// The guard reads libyaml's events for the text, the very stream Yams composes, so it sees every
/// key Yams would hash, wherever the text puts it (an earlier text scan missed a tab before the
/// `:`, `"k":*a`, `{?[*a]: x}` and quotes inside plain scalars; scripts/fuzz.sh found the first).
/// At a syntax error it stops where Yams will stop: what it read is what Yams composes.
enum YAMLAliasGuard {
    enum Verdict: Equatable {
        /// Yams may compose the whole text.
        case safe
        /// Aliases together with non-scalar or alias keys: refuse the text.
        case hazard
        /// Documents before `document` may be composed; that one must not be, and fails with
        /// `failure`.
        case stop(document: Int, failure: ManifestSyntaxError)
    }

    /// A verdict and the cost of reaching it (about the cost of a parse of the text by Yams).
    struct Scan: Equatable {
        var verdict: Verdict
        var cost: Int
    }

    static func hasHazard(_ text: String) -> Bool { check(text) == .hazard }

    static func check(_ text: String) -> Verdict { scan(text, limits: .default).verdict }

    /// Whether the scalar of `event`, in a key's place, is a merge key (`<<`), which the converter
    /// does not count as a node.
    private static func isMergeKey(_ s: yaml_event_t) -> Bool {
        let scalar = s.data.scalar
        guard scalar.length == 2, let v = scalar.value, v[0] == UInt8(ascii: "<"), v[1] == UInt8(ascii: "<") else {
            return scalar.tag.map { String(cString: $0) == YAMLScalarResolver.mergeTag } ?? false
        }
        return scalar.style == YAML_PLAIN_SCALAR_STYLE || scalar.tag.map { String(cString: $0) == YAMLScalarResolver.mergeTag } ?? false
    }

    /// One open collection.
    private struct Frame {
        var isMapping: Bool
        /// For a mapping: whether the next node is a key.
        var expectKey = true
        /// How many non-scalar keys enclose this collection (itself included when it is one).
        var keyLevel: Int
        /// The path element of the next child: the current key's text (mappings) or index.
        var index = 0
        var key: (text: String, tag: String?, plain: Bool)?
    }

    static func scan(_ text: String, limits: ManifestLimits) -> Scan {
        let bytes = Array(text.utf8)
        let maxNodes = limits.maxNodesPerDocument
        var cost = bytes.count
        // Nothing can be a non-scalar key, an alias or an anchor without `?`, `[`, `{` or `*`; a
        // node takes at least a third of a byte (`[:,:]` is 7 nodes in 5 bytes); and without flow
        // collections or `?`, each level of nesting takes a line or a `-` (bytes that may end a
        // line in libyaml's sense are counted as lines).
        var mayHaveKeysOrAliases = false
        var linesAndDashes = 0
        for b in bytes {
            switch b {
            case 0x3F, 0x5B, 0x7B, 0x2A: mayHaveKeysOrAliases = true
            case 0x0A, 0x0D, 0x85, 0xA8, 0xA9, 0x2D: linesAndDashes += 1
            default: break
            }
        }
        guard mayHaveKeysOrAliases || bytes.count >= maxNodes / 3 || linesAndDashes >= limits.maxDepth else {
            return Scan(verdict: .safe, cost: cost)
        }
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return Scan(verdict: .safe, cost: cost) }
        defer { yaml_parser_delete(&parser) }
        yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
        let verdict: Verdict = bytes.withUnsafeBufferPointer { buffer in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var stack: [Frame] = []
            var sawAlias = false
            var sawComplexKey = false
            var document = -1
            // Nodes of the document so far, as the converter counts them (merge keys aside).
            var nodes = 0
            // The outermost non-scalar key of the document, for the error of a nested one.
            var outerKey: (path: String, kind: String, line: Int)?
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else { break }  // Yams stops here too.
                defer { yaml_event_delete(&event) }
                let line = Int(event.start_mark.line) + 1
                cost += stack.count + 1
                let isKey = stack.last.map { $0.isMapping && $0.expectKey } ?? false
                let level = stack.last?.keyLevel ?? 0
                switch event.type {
                case YAML_SCALAR_EVENT, YAML_ALIAS_EVENT, YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                    if !(isKey && event.type == YAML_SCALAR_EVENT && isMergeKey(event)) { nodes += 1 }
                    if nodes > maxNodes {
                        return .stop(
                            document: max(0, document),
                            failure: ManifestSyntaxError(
                                message: "yaml: line \(line): document has more than \(maxNodes) nodes", line: line))
                    }
                default: break
                }
                switch event.type {
                case YAML_STREAM_END_EVENT:
                    return sawAlias && sawComplexKey ? .hazard : .safe
                case YAML_DOCUMENT_START_EVENT:
                    document += 1
                    stack.removeAll()
                    outerKey = nil
                    nodes = 0
                case YAML_ALIAS_EVENT:
                    sawAlias = true
                    if isKey { sawComplexKey = true }
                    if sawAlias && sawComplexKey { return .hazard }
                    completeNode(&stack)
                case YAML_SCALAR_EVENT:
                    if isKey, let value = event.data.scalar.value {
                        let s = event.data.scalar
                        let text = String(decoding: UnsafeBufferPointer(start: value, count: Int(s.length)), as: UTF8.self)
                        stack[stack.count - 1].key = (text, s.tag.map { String(cString: $0) }, s.style == YAML_PLAIN_SCALAR_STYLE)
                    }
                    completeNode(&stack)
                case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                    if stack.count >= limits.maxDepth {
                        return .stop(
                            document: max(0, document),
                            failure: ManifestSyntaxError(
                                message: "yaml: line \(line): exceeded max depth of \(limits.maxDepth)", line: line))
                    }
                    let isMapping = event.type == YAML_MAPPING_START_EVENT
                    var keyLevel = level
                    if isKey {
                        sawComplexKey = true
                        if sawAlias { return .hazard }
                        keyLevel += 1
                        if keyLevel == 1 { outerKey = (render(stack.dropLast()), isMapping ? "mapping" : "sequence", line) }
                        if keyLevel >= 2, let outer = outerKey {
                            return .stop(
                                document: max(0, document),
                                failure: ManifestSyntaxError(
                                    message:
                                        "yaml: line \(outer.line): invalid map key at \(outer.path): a mapping key must be a scalar, not a \(outer.kind)",
                                    line: outer.line))
                        }
                    }
                    stack.append(Frame(isMapping: isMapping, keyLevel: keyLevel))
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    stack.removeLast()
                    completeNode(&stack)
                default:
                    break
                }
            }
            return sawAlias && sawComplexKey ? .hazard : .safe
        }
        return Scan(verdict: verdict, cost: cost)
    }

    /// A node ended: the enclosing mapping expects a key or a value next.
    private static func completeNode(_ stack: inout [Frame]) {
        guard !stack.isEmpty else { return }
        if stack[stack.count - 1].isMapping {
            if !stack[stack.count - 1].expectKey { stack[stack.count - 1].key = nil }
            stack[stack.count - 1].expectKey.toggle()
        } else {
            stack[stack.count - 1].index += 1
        }
    }

    /// The path of the collections in `frames` as YAMLNodeConverter renders it (`spec.containers[0]`).
    private static func render(_ frames: ArraySlice<Frame>) -> String {
        var path: [YAMLNodeConverter.PathElement] = []
        for frame in frames {
            if frame.isMapping {
                guard let key = frame.key else { break }
                var name = key.text
                if case .value(let v) = YAMLScalarResolver.resolve(key.text, tag: key.tag, plain: key.plain),
                    let k = YAMLScalarResolver.jsonKey(for: v)
                {
                    name = k
                }
                path.append(.key(name))
            } else {
                path.append(.index(frame.index))
            }
        }
        return YAMLNodeConverter.render(path)
    }
}

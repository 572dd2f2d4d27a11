import Yams

/// The documents of one manifest file, parsed as far as the text allows.
public struct ParsedManifest: Hashable, Sendable {
    /// The documents in file order; nil marks an empty document (`---` alone, or only `null`).
    public var documents: [JSONValue?]
    /// The error that stopped parsing, found in document number `documents.count` (0-based);
    /// nil when the whole file parsed. The parser cannot resynchronise after a syntax error, so
    /// nothing after it is known.
    public var failure: ManifestSyntaxError?

    /// A parse outcome.
    public init(documents: [JSONValue?], failure: ManifestSyntaxError?) {
        self.documents = documents
        self.failure = failure
    }
}

/// Reads YAML manifests (multi-document, block and flow style) with Yams' `Parser` and turns each
/// document's node tree into a `JSONValue` with the scalar resolution sigs.k8s.io/yaml applies
/// (see `YAMLScalarResolver`), strictly:
/// - a key defined twice in one mapping (also when two spellings resolve to one JSON key, such as
///   `1` and `"1"`) is an error naming the key path and both lines:
///   `yaml: line 9: mapping key "name" already defined at line 5 (metadata.name)`;
/// - aliases are followed, but a document may expand to at most `ManifestLimits.maxNodesPerDocument`
///   nodes and `maxExpandedBytesPerDocument` bytes of text (`yaml: document contains excessive
///   aliasing ...`), and nest at most `maxDepth` deep;
/// - mapping keys must be scalars that JSON can carry (not null, not a sequence or mapping);
/// - libyaml's errors keep libyaml's (and so go-yaml's) wording in the form
///   `yaml: line N: <problem>` with the 1-based line of the problem.
/// Merge keys (`<<: *base`) are honoured; explicit keys win over merged ones.
public enum YAMLManifestParser {
    /// Parses every document of `text`.
    public static func parse(_ text: String, limits: ManifestLimits = .default) -> ParsedManifest {
        if YAMLAliasGuard.hasHazard(text) {
            return ParsedManifest(documents: [], failure: ManifestSyntaxError(
                message: "yaml: aliases used together with complex (non-scalar) mapping keys are not supported",
                line: nil))
        }
        // Yams rejects a mapping with two equal keys before this parser sees the tree, naming only
        // the first one. To report the key's path and both lines, the first occurrence is renamed
        // with a sentinel prefix and the text parsed again; the converter then finds the pair.
        var sentinels: [(line: Int, column: Int)] = []
        var firstDuplicate: (docs: [JSONValue?], key: String, line: Int)?
        for _ in 0..<16 {
            let source = sentinels.isEmpty ? text : insertSentinels(into: text, at: sentinels)
            switch parseOnce(source, limits: limits, sentinel: sentinels.isEmpty ? nil : sentinel) {
            case .finished(let parsed):
                // With sentinels in place the converter must have found the duplicate; if it did
                // not (the renamed key no longer matches, e.g. behind an anchor), fall back.
                if let first = firstDuplicate, !(parsed.failure?.message.contains("already defined at line") ?? false) {
                    return fallbackDuplicate(first.docs, key: first.key, line: first.line)
                }
                return parsed
            case .yamsDuplicate(let parsedBefore, let key, let line, let column):
                if firstDuplicate == nil { firstDuplicate = (parsedBefore, key, line) }
                let original = originalPosition(line: line, column: column, sentinels: sentinels)
                if sentinels.contains(where: { $0 == original }) {
                    return fallbackDuplicate(parsedBefore, key: key, line: line)
                }
                sentinels.append(original)
            }
        }
        if let first = firstDuplicate { return fallbackDuplicate(first.docs, key: first.key, line: first.line) }
        return ParsedManifest(documents: [], failure: ManifestSyntaxError(message: "yaml: too many duplicate keys", line: nil))
    }

    static let sentinel = "inplaced-duplicate-key-sentinel-"

    private enum Outcome {
        case finished(ParsedManifest)
        case yamsDuplicate([JSONValue?], key: String, line: Int, column: Int)
    }

    private static func fallbackDuplicate(_ docs: [JSONValue?], key: String, line: Int) -> ParsedManifest {
        ParsedManifest(documents: docs, failure: ManifestSyntaxError(
            message: "yaml: mapping key \(GoQuote.quote(key)) already defined at line \(line)", line: line))
    }

    private static func parseOnce(_ text: String, limits: ManifestLimits, sentinel: String?) -> Outcome {
        var docs: [JSONValue?] = []
        let parser: Parser
        do {
            parser = try Parser(yaml: text, encoding: .utf8)
        } catch {
            return .finished(ParsedManifest(documents: [], failure: syntaxError(from: error, text: text)))
        }
        while true {
            if docs.count >= limits.maxDocuments {
                return .finished(ParsedManifest(documents: docs, failure: ManifestSyntaxError(
                    message: "yaml: the file holds more than \(limits.maxDocuments) documents", line: nil)))
            }
            let node: Node?
            do {
                node = try parser.nextRoot()
            } catch let YamlError.duplicatedKeysInMapping(duplicates, context) {
                return .yamsDuplicate(docs, key: duplicates.first ?? "", line: context.mark.line, column: context.mark.column)
            } catch {
                return .finished(ParsedManifest(documents: docs, failure: syntaxError(from: error, text: text)))
            }
            guard let node else { break }
            var converter = YAMLNodeConverter(limits: limits, sentinel: sentinel)
            do {
                let value = try converter.convert(node, path: [], depth: 0)
                docs.append(value == .null ? nil : value)
            } catch let e as ManifestSyntaxError {
                return .finished(ParsedManifest(documents: docs, failure: e))
            } catch {
                return .finished(ParsedManifest(documents: docs, failure: ManifestSyntaxError(message: "yaml: \(error)", line: nil)))
            }
        }
        return .finished(ParsedManifest(documents: docs, failure: nil))
    }

    /// Maps a Yams error to go-yaml's `yaml: line N: <problem>`.
    static func syntaxError(from error: Error, text: String) -> ManifestSyntaxError {
        guard let y = error as? YamlError else { return ManifestSyntaxError(message: "yaml: \(error)", line: nil) }
        func problemText(_ p: String) -> String {
            p.hasPrefix("Maximum nesting level reached") ? "exceeded max depth of 1000 (nesting of mappings and sequences)" : p
        }
        switch y {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return ManifestSyntaxError(message: "yaml: line \(mark.line): \(problemText(problem))", line: mark.line)
        case .reader(let problem, let offset, _, _):
            if let offset {
                let line = 1 + text.prefix(offset).reduce(0) { $0 + ($1.isNewline ? 1 : 0) }
                return ManifestSyntaxError(message: "yaml: line \(line): \(problem)", line: line)
            }
            return ManifestSyntaxError(message: "yaml: \(problem)", line: nil)
        case .duplicatedKeysInMapping(let duplicates, let context):
            return ManifestSyntaxError(message: "yaml: mapping key \(GoQuote.quote(duplicates.first ?? "")) already defined at line \(context.mark.line)",
                                       line: context.mark.line)
        default:
            return ManifestSyntaxError(message: "yaml: \(y)", line: nil)
        }
    }

    // MARK: Sentinel bookkeeping (positions are 1-based line and Unicode-scalar column).

    private static func insertSentinels(into text: String, at positions: [(line: Int, column: Int)]) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { Array(String($0).unicodeScalars) }
        for p in positions.sorted(by: { ($0.line, $0.column) > ($1.line, $1.column) }) {
            guard p.line >= 1, p.line <= lines.count else { continue }
            var col = min(max(p.column - 1, 0), lines[p.line - 1].count)
            // A quoted key gets the sentinel inside its quotes, so it stays the same kind of scalar.
            if col < lines[p.line - 1].count, lines[p.line - 1][col] == "\"" || lines[p.line - 1][col] == "'" { col += 1 }
            lines[p.line - 1].insert(contentsOf: sentinel.unicodeScalars, at: col)
        }
        return lines.map { String(String.UnicodeScalarView($0)) }.joined(separator: "\n")
    }

    private static func originalPosition(line: Int, column: Int, sentinels: [(line: Int, column: Int)]) -> (line: Int, column: Int) {
        let before = sentinels.filter { $0.line == line && $0.column < column }.count
        return (line, column - before * sentinel.unicodeScalars.count)
    }
}

/// Turns one Yams node tree into a JSONValue, counting expansion and depth.
struct YAMLNodeConverter {
    enum PathElement {
        case key(String)
        case index(Int)
    }

    let limits: ManifestLimits
    let sentinel: String?
    var nodes = 0
    var bytes = 0

    init(limits: ManifestLimits, sentinel: String?) {
        self.limits = limits
        self.sentinel = sentinel
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

    mutating func convert(_ node: Node, path: [PathElement], depth: Int) throws -> JSONValue {
        nodes += 1
        if nodes > limits.maxNodesPerDocument {
            throw fail("document contains excessive aliasing: it expands to more than \(limits.maxNodesPerDocument) nodes", node.mark)
        }
        switch node {
        case .scalar(let s):
            bytes += s.string.utf8.count
            if bytes > limits.maxExpandedBytesPerDocument {
                throw fail("document contains excessive aliasing: it expands to more than \(limits.maxExpandedBytesPerDocument) bytes of text", s.mark)
            }
            switch YAMLScalarResolver.resolve(s.string, tag: s.tag.rawValue, plain: s.style == .plain) {
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
                    throw fail("invalid map key at \(Self.render(path)): a mapping key must be a scalar, not a \(pair.key.isMapping ? "mapping" : "sequence")", pair.key.mark)
                }
                let tag = ks.tag.rawValue
                let plain = ks.style == .plain
                if YAMLScalarResolver.isMergeKey(ks.string, tag: tag, plain: plain) {
                    let source = try convert(pair.value, path: path + [.key("<<")], depth: depth + 1)
                    let maps: [[String: JSONValue]]
                    switch source {
                    case .object(let o): maps = [o]
                    case .array(let a):
                        maps = try a.map {
                            guard case .object(let o) = $0 else { throw fail("map merge requires map or sequence of maps as the value", pair.value.mark) }
                            return o
                        }
                    default: throw fail("map merge requires map or sequence of maps as the value", pair.value.mark)
                    }
                    for m in maps { for (k, v) in m where merged[k] == nil { merged[k] = v } }
                    continue
                }
                nodes += 1
                let keyValue: JSONValue
                switch YAMLScalarResolver.resolve(ks.string, tag: tag, plain: plain) {
                case .value(let v): keyValue = v
                case .merge: keyValue = .string(ks.string)
                case .failure(let m): throw fail(m, ks.mark)
                }
                guard var key = YAMLScalarResolver.jsonKey(for: keyValue) else {
                    throw fail("invalid map key at \(Self.render(path)): JSON cannot carry a null key", ks.mark)
                }
                if let s = sentinel, case .string = keyValue, key.hasPrefix(s) { key.removeFirst(s.count) }
                let line = ks.mark?.line ?? 0
                if let first = keyLines[key] {
                    throw ManifestSyntaxError(
                        message: "yaml: line \(line): mapping key \(GoQuote.quote(key)) already defined at line \(first) (\(Self.render(path + [.key(key)])))",
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

private extension Node {
    var isMapping: Bool { if case .mapping = self { return true }; return false }
}

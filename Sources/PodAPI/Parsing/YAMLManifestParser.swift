import Yams

/// Reads YAML manifests (multi-document, block and flow style) with Yams' `Parser` and turns each
/// document's node tree into a `JSONValue` with the scalar resolution sigs.k8s.io/yaml applies
/// (see `YAMLScalarResolver`), strictly:
/// - a key defined twice in one mapping (also when two spellings resolve to one JSON key, such as
///   `1` and `"1"`) is an error naming the key path and both lines:
///   `yaml: line 9: mapping key "name" already defined at line 5 (metadata.name)`;
/// - aliases are followed, but a document may expand to at most `ManifestLimits.maxNodesPerDocument`
///   nodes and `maxExpandedBytesPerDocument` bytes of text (`yaml: document contains excessive
///   aliasing ...`), and nest at most `maxDepth` deep;
/// - mapping keys must be scalars that JSON can carry (not null, not a sequence or mapping); a
///   text that Yams could not compose in bounded time (aliases with non-scalar keys, non-scalar
///   keys inside non-scalar keys) is refused before Yams reads it (see `YAMLAliasGuard`);
/// - libyaml's errors keep libyaml's (and so go-yaml's) wording in the form
///   `yaml: line N: <problem>` with the 1-based line of the problem.
/// Merge keys (`<<: *base`) are honoured; explicit keys win over merged ones.
public enum YAMLManifestParser {
    /// Parses every document of `text`.
    public static func parse(_ text: String, limits: ManifestLimits = .default) -> ParsedManifest {
        // A byte order mark is not content (go-yaml skips it too); a reader that did not drop it
        // (`inplacectl apply -f -`) would otherwise have its first key read as another one.
        let text = text.unicodeScalars.first == "\u{FEFF}" ? String(text.unicodeScalars.dropFirst()) : text
        // Without rules, Yams takes a plain key and a quoted one of the same text for a duplicate
        // (both `!!str`), where Kubernetes may not (`yes` is the key "true", `"yes"` is "yes"); so
        // a text Yams finds a duplicate in is parsed again with the marking resolver, under which
        // Yams' duplicates are exactly the keys of the same text and kind.
        // The guard's scan of the text serves both parses.
        let first = YAMLAliasGuard.scan(text, limits: limits)
        if !mayHaveTags(text), case let parsed? = parse(text, first: first, limits: limits, marking: false) { return parsed }
        return parse(text, first: first, limits: limits, marking: true) ?? ParsedManifest(documents: [], failure: nil)
    }

    /// Parses `text`, which YAMLAliasGuard scanned as `first`, with the marking resolver
    /// (`marking`) or the one without rules; nil only when, without rules, Yams found a
    /// duplicate key (the caller parses again with marking).
    private static func parse(_ text: String, first: YAMLAliasGuard.Scan, limits: ManifestLimits, marking: Bool) -> ParsedManifest? {
        // Yams rejects a mapping with two equal keys before this parser sees the tree, naming only
        // the first one. To report the key's path and both lines, the first occurrence is renamed
        // with a numbered sentinel prefix and the text parsed again (a key written k times takes
        // k - 1 passes); the converter then finds the pair. The passes after the first may cost
        // 512 Ki units of YAMLAliasGuard's measure in all (a byte, or an event times its nesting),
        // and are at most 15, so that a file of thousands of repeated keys, or of deep nesting,
        // costs a few parses, not thousands: past that, the error names the key and line of Yams'
        // first duplicate.
        var sentinels: [(line: Int, column: Int)] = []
        var firstDuplicate: (docs: [JSONValue?], key: String, line: Int)?
        let passes = 1 + min(15, (512 << 10) / max(1, first.cost))
        for _ in 0..<passes {
            let source = sentinels.isEmpty ? text : insertSentinels(into: text, at: sentinels)
            let scan = sentinels.isEmpty ? first : YAMLAliasGuard.scan(source, limits: limits)
            switch parseOnce(source, scan: scan.verdict, limits: limits, sentinel: sentinels.isEmpty ? nil : sentinel, marking: marking) {
            case .finished(let parsed):
                // With sentinels in place the converter must have found the duplicate; if it did
                // not (the renamed key no longer matches, e.g. behind an anchor), fall back.
                if let first = firstDuplicate, !(parsed.failure?.message.contains("already defined at line") ?? false) {
                    return fallbackDuplicate(first.docs, key: first.key, line: first.line)
                }
                return parsed
            case .yamsDuplicate(let parsedBefore, let key, let line, let column):
                if !marking { return nil }
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

    /// The prefix of the sentinels; sentinel `i` is the prefix, `i` in two digits and `-`.
    static let sentinel = "inplaced-duplicate-key-sentinel-"
    static let sentinelLength = sentinel.unicodeScalars.count + 3

    static func sentinel(_ i: Int) -> String { sentinel + (i < 10 ? "0\(i)" : "\(i % 100)") + "-" }

    /// `key` without a leading sentinel.
    static func removingSentinel(_ key: String) -> String {
        guard key.hasPrefix(sentinel) else { return key }
        let rest = key.utf8.dropFirst(sentinel.utf8.count)
        guard rest.count >= 3, rest.prefix(2).allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), rest.dropFirst(2).first == UInt8(ascii: "-")
        else { return key }
        return String(decoding: rest.dropFirst(3), as: UTF8.self)
    }

    private enum Outcome {
        case finished(ParsedManifest)
        case yamsDuplicate([JSONValue?], key: String, line: Int, column: Int)
    }

    private static func fallbackDuplicate(_ docs: [JSONValue?], key: String, line: Int) -> ParsedManifest {
        ParsedManifest(
            documents: docs,
            failure: ManifestSyntaxError(
                message: "yaml: mapping key \(GoQuote.quote(removingSentinel(key))) already defined at line \(line)", line: line))
    }

    static let aliasHazard = ManifestSyntaxError(
        message: "yaml: aliases used together with complex (non-scalar) mapping keys are not supported", line: nil)

    /// The resolver Yams composes `text` with, and the tag it gives a plain scalar that has none in
    /// the text. The converter resolves every scalar itself (`YAMLScalarResolver`, as go-yaml v2
    /// does), so Yams' resolver only names tags, which it does for mapping keys when it checks a
    /// mapping for duplicates. Its default resolver tries up to 7 regular expressions
    /// (NSRegularExpression, on ICU) per key: 1.6 % of the CPU of `inplaced-bench 5000 50` in
    /// perf, and ICU's code mapped into the process. A text without `!` has no explicit
    /// tag, so a resolver without rules serves (every implicit tag becomes `!!str`) unless Yams
    /// finds a duplicate key with it (see `parse`); otherwise the marking resolver, whose one rule
    /// gives every implicit tag a name no text can write, so the converter tells written `!!str`
    /// keys apart and Yams a plain key from a quoted one.
    static func resolver(marking: Bool) -> (Resolver, implicitTag: String) {
        marking ? (markingResolver, implicitMarker) : (.basic, YAMLScalarResolver.strTag)
    }

    /// Whether `text` may hold an explicit tag (every tag, `%TAG` directives included, is
    /// written with a `!`).
    static func mayHaveTags(_ text: String) -> Bool { text.utf8.contains(UInt8(ascii: "!")) }

    /// A tag no text can write: Yams reads a tag as a C string, which ends at the first NUL
    /// (libyaml decodes `%00` in a tag, but the name then ends there).
    static let implicitMarker = "\u{0}inplaced-implicit"
    private static let markingResolver: Resolver = {
        do {
            return try Resolver.basic.appending(Tag.Name(rawValue: implicitMarker), "^")
        } catch {
            preconditionFailure("the pattern ^ is a regular expression: \(error)")
        }
    }()

    /// Parses `text`, which YAMLAliasGuard judged `scan`.
    private static func parseOnce(
        _ text: String, scan: YAMLAliasGuard.Verdict, limits: ManifestLimits, sentinel: String?, marking: Bool
    ) -> Outcome {
        // Yams composes only what YAMLAliasGuard cleared: all of the text, or the documents before
        // one it must not compose (whose error is then the guard's).
        var documentLimit = Int.max
        var stopFailure: ManifestSyntaxError?
        switch scan {
        case .safe: break
        case .hazard: return .finished(ParsedManifest(documents: [], failure: aliasHazard))
        case .stop(let document, let failure):
            documentLimit = document
            stopFailure = failure
        }
        var docs: [JSONValue?] = []
        let parser: Parser
        let (resolver, implicitTag) = Self.resolver(marking: marking)
        do {
            parser = try Parser(yaml: text, resolver: resolver, encoding: .utf8)
        } catch {
            return .finished(ParsedManifest(documents: [], failure: syntaxError(from: error, text: text)))
        }
        while true {
            if docs.count >= limits.maxDocuments {
                return .finished(
                    ParsedManifest(
                        documents: docs,
                        failure: ManifestSyntaxError(
                            message: "yaml: the file holds more than \(limits.maxDocuments) documents", line: nil)))
            }
            if docs.count >= documentLimit, let stopFailure { return .finished(ParsedManifest(documents: docs, failure: stopFailure)) }
            let node: Node?
            do {
                node = try parser.nextRoot()
            } catch let YamlError.duplicatedKeysInMapping(duplicates, context) {
                return .yamsDuplicate(docs, key: duplicates.first ?? "", line: context.mark.line, column: context.mark.column)
            } catch {
                return .finished(ParsedManifest(documents: docs, failure: syntaxError(from: error, text: text)))
            }
            guard let node else { break }
            var converter = YAMLNodeConverter(limits: limits, sentinel: sentinel, implicitTag: implicitTag)
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
            return ManifestSyntaxError(
                message: "yaml: mapping key \(GoQuote.quote(duplicates.first ?? "")) already defined at line \(context.mark.line)",
                line: context.mark.line)
        default:
            return ManifestSyntaxError(message: "yaml: \(y)", line: nil)
        }
    }

    // MARK: Sentinel bookkeeping (positions are 1-based line and Unicode-scalar column).

    private static func insertSentinels(into text: String, at positions: [(line: Int, column: Int)]) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { Array(String($0).unicodeScalars) }
        for (i, p) in positions.enumerated().sorted(by: { ($0.element.line, $0.element.column) > ($1.element.line, $1.element.column) }) {
            guard p.line >= 1, p.line <= lines.count else { continue }
            var col = min(max(p.column - 1, 0), lines[p.line - 1].count)
            // A quoted key gets the sentinel inside its quotes, so it stays the same kind of scalar.
            if col < lines[p.line - 1].count, lines[p.line - 1][col] == "\"" || lines[p.line - 1][col] == "'" { col += 1 }
            lines[p.line - 1].insert(contentsOf: sentinel(i).unicodeScalars, at: col)
        }
        return lines.map { String(String.UnicodeScalarView($0)) }.joined(separator: "\n")
    }

    private static func originalPosition(line: Int, column: Int, sentinels: [(line: Int, column: Int)]) -> (line: Int, column: Int) {
        let before = sentinels.filter { $0.line == line && $0.column < column }.count
        return (line, column - before * sentinelLength)
    }
}

import Foundation
import Testing

@testable import PodAPI

@Suite struct YAMLParserTests {
    func parse(_ text: String, limits: ManifestLimits = .default) -> ParsedManifest {
        YAMLManifestParser.parse(text, limits: limits)
    }

    @Test func multiDocumentBlockAndFlow() {
        let r = parse("a: 1\n---\n{b: [x, 'y', \"z\"], c: {d: null}}\n---\n---\n- 1\n- two\n")
        #expect(r.failure == nil)
        #expect(r.documents.count == 4)
        #expect(r.documents[0] == .object(["a": .integer(1)]))
        #expect(r.documents[1] == .object(["b": .array([.string("x"), .string("y"), .string("z")]), "c": .object(["d": .null])]))
        #expect(r.documents[2] == nil)
        #expect(r.documents[3] == .array([.integer(1), .string("two")]))
    }

    @Test func emptyInputs() {
        #expect(parse("") == ParsedManifest(documents: [], failure: nil))
        #expect(parse("# only\n# comments\n") == ParsedManifest(documents: [], failure: nil))
        #expect(parse("---\n") == ParsedManifest(documents: [nil], failure: nil))
        #expect(parse("---\n...\n---\n") == ParsedManifest(documents: [nil, nil], failure: nil))
    }

    struct ScalarCase: Sendable, CustomTestStringConvertible {
        let text: String
        let value: JSONValue
        var testDescription: String { text.debugDescription }
    }

    static let scalars: [ScalarCase] = [
        .init(text: "x: 42", value: .integer(42)),
        .init(text: "x: -7", value: .integer(-7)),
        .init(text: "x: +12", value: .integer(12)),
        .init(text: "x: 0x1F", value: .integer(31)),
        .init(text: "x: 0o17", value: .integer(15)),
        .init(text: "x: 017", value: .integer(15)),
        .init(text: "x: 0b101", value: .integer(5)),
        .init(text: "x: 1_000", value: .integer(1000)),
        .init(text: "x: 08", value: .integer(8)),
        .init(text: "x: 1.5", value: .number(1.5)),
        .init(text: "x: 80.0", value: .integer(80)),
        .init(text: "x: 1e3", value: .integer(1000)),
        .init(text: "x: .5", value: .number(0.5)),
        .init(text: "x: true", value: .bool(true)),
        .init(text: "x: False", value: .bool(false)),
        .init(text: "x: yes", value: .bool(true)),
        .init(text: "x: off", value: .bool(false)),
        .init(text: "x: Y", value: .bool(true)),
        .init(text: "x: ~", value: .null),
        .init(text: "x: null", value: .null),
        .init(text: "x:", value: .null),
        .init(text: "x: \"42\"", value: .string("42")),
        .init(text: "x: 'true'", value: .string("true")),
        .init(text: "x: \"null\"", value: .string("null")),
        .init(text: "x: 2001-12-14", value: .string("2001-12-14")),
        .init(text: "x: 12:30:00", value: .string("12:30:00")),
        .init(text: "x: 1.2.3", value: .string("1.2.3")),
        .init(text: "x: busybox:1.36", value: .string("busybox:1.36")),
        .init(text: "x: !!str 123", value: .string("123")),
        .init(text: "x: !!int \"12\"", value: .integer(12)),
        .init(text: "x: !!float 1", value: .integer(1)),
        .init(text: "x: !!null ''", value: .null),
        .init(text: "x: !custom tagged", value: .string("tagged")),
        .init(text: "x: !!binary aGVsbG8=", value: .string("hello")),
        .init(text: "x: |\n  line1\n  line2\n", value: .string("line1\nline2\n")),
        .init(text: "x: >-\n  folded\n  text\n", value: .string("folded text")),
    ]

    @Test(arguments: scalars)
    func scalarResolutionAsSigsK8sYAML(_ c: ScalarCase) {
        let r = parse(c.text)
        #expect(r.failure == nil, "\(String(describing: r.failure))")
        #expect(r.documents.first == .object(["x": c.value]))
    }

    @Test func nonStringKeysBecomeJSONKeys() {
        let r = parse("1: a\ntrue: b\n0x10: c\n")
        #expect(r.documents.first == .object(["1": .string("a"), "true": .string("b"), "16": .string("c")]))
    }

    struct KeyCase: Sendable, CustomTestStringConvertible {
        let key: String
        let json: String
        var testDescription: String { key.debugDescription }
    }

    /// Plain keys resolve as go-yaml v2 resolves them before sigs.k8s.io/yaml prints them as JSON
    /// keys (`y` is a YAML 1.1 bool there, so its key is "true"); explicitly tagged keys keep
    /// their tag. Each is parsed twice: alone, and in a text with a `!` elsewhere (which takes
    /// the parser's path for texts that may hold explicit tags).
    static let keys: [KeyCase] = [
        .init(key: "1", json: "1"), .init(key: "+1", json: "1"), .init(key: "0x10", json: "16"),
        .init(key: "1_000", json: "1000"), .init(key: "1.0", json: "1"), .init(key: "1.5", json: "1.5"),
        .init(key: "1e3", json: "1000"), .init(key: "true", json: "true"), .init(key: "y", json: "true"),
        .init(key: "Off", json: "false"), .init(key: "name", json: "name"), .init(key: "'0x10'", json: "0x10"),
        .init(key: "\"y\"", json: "y"), .init(key: "!!str 0x10", json: "0x10"), .init(key: "!!str y", json: "y"),
        .init(key: "!!int \"16\"", json: "16"), .init(key: "!custom 0x10", json: "0x10"),
        .init(key: "2001-12-14", json: "2001-12-14"),
    ]

    @Test(arguments: keys)
    func keysResolveAsSigsK8sYAMLWithOrWithoutTagsInTheText(_ c: KeyCase) {
        for text in ["\(c.key): a\n", "\(c.key): a\nb: !!str c\n"] {
            let r = parse(text)
            #expect(r.failure == nil, "\(text.debugDescription): \(String(describing: r.failure))")
            #expect(r.documents.first??.objectValue?[c.json] == .string("a"), "\(text.debugDescription): \(r.documents)")
        }
    }

    /// A plain key and a quoted (or block) key of the same text are two keys when the plain one
    /// resolves to something else (`yes` is "true"), as sigs.k8s.io/yaml reads them, whether or
    /// not the text holds a tag anywhere; the same text twice is still a duplicate. (Found by a
    /// helper trying to break 31c3e6d: Yams without rules took them for a duplicate.)
    @Test func plainAndQuotedKeysOfOneTextAreTwoKeysWhenTheyResolveApart() {
        let cases: [(String, JSONValue)] = [
            ("yes: a\n\"yes\": b\n", .object(["true": .string("a"), "yes": .string("b")])),
            ("\"yes\": b\nyes: a\n", .object(["true": .string("a"), "yes": .string("b")])),
            ("0x1: a\n'0x1': b\n", .object(["1": .string("a"), "0x1": .string("b")])),
            ("{True: 1, 'True': 2}\n", .object(["true": .integer(1), "True": .integer(2)])),
            ("yes: a\n? |-\n  yes\n: b\n", .object(["true": .string("a"), "yes": .string("b")])),
            (
                "b: &b {a: 1}\nm:\n  <<: *b\n  \"<<\": x\n",
                .object(["b": .object(["a": .integer(1)]), "m": .object(["a": .integer(1), "<<": .string("x")])])
            ),
        ]
        for (text, want) in cases {
            for t in [text, text + "# !\n"] {
                let r = parse(t)
                #expect(r.failure == nil, "\(t.debugDescription): \(String(describing: r.failure))")
                #expect(r.documents.first == want, "\(t.debugDescription)")
            }
        }
    }

    @Test func aKeyWrittenTwiceThatResolvesToAnotherTextNamesItsPathAndBothLines() {
        for extra in ["", "# !\n"] {
            let r = parse("metadata:\n  labels:\n    y: a\n    y: b\n" + extra)
            #expect(r.failure?.message == "yaml: line 4: mapping key \"true\" already defined at line 3 (metadata.labels.true)")
            let hex = parse("a:\n  0x10: 1\n  0x10: 2\n" + extra)
            #expect(hex.failure?.message == "yaml: line 3: mapping key \"16\" already defined at line 2 (a.16)")
        }
    }

    @Test func noWrittenTagIsTakenForAnUntaggedScalar() {
        #expect(parse("x: !<inplaced:implicit> 123\n").documents.first == .object(["x": .string("123")]))
        #expect(parse("x: !<inplaced%00implicit> 123\n").documents.first == .object(["x": .string("123")]))
        #expect(parse("!<inplaced%20implicit> 0x10: a\n").documents.first == .object(["0x10": .string("a")]))
    }

    @Test func aByteOrderMarkIsNotContent() {
        let r = parse("\u{FEFF}a: 1\nb: 2\n")
        #expect(r.failure == nil)
        #expect(r.documents == [.object(["a": .integer(1), "b": .integer(2)])])
    }

    @Test func nullKeysAreRejectedWithOrWithoutTagsInTheText() {
        for text in ["~: a\n", "null: a\n", "~: a\nb: !!str c\n", "!!null '': a\n"] {
            #expect(parse(text).failure?.message.contains("JSON cannot carry a null key") == true, "\(text.debugDescription)")
        }
    }

    @Test func badExplicitTagsAreErrors() {
        #expect(parse("x: !!int abc").failure?.message == "yaml: line 1: cannot decode !!str `abc` as a !!int")
        #expect(parse("x: !!bool 3").failure?.message == "yaml: line 1: cannot decode !!int `3` as a !!bool")
        // go-yaml v2 names the type the text resolves to: 1.0 is a float there.
        #expect(parse("x: !!int 1.0").failure?.message == "yaml: line 1: cannot decode !!float `1.0` as a !!int")
        #expect(parse("x: !!null x").failure?.message == "yaml: line 1: cannot decode !!str `x` as a !!null")
        #expect(parse("x: !!float 1e400").failure?.message == "yaml: line 1: cannot decode !!str `1e400` as a !!float")
    }

    /// A float past Double's range is a string for go-yaml v2 (strconv.ParseFloat fails with
    /// ErrRange), not an infinity that JSON cannot carry.
    @Test func aFloatPastTheRangeIsAString() {
        #expect(
            parse("x: 1e400\nw: -1.5e999\nz: .5e400\n").documents.first
                == .object(["x": .string("1e400"), "w": .string("-1.5e999"), "z": .string(".5e400")]))
        #expect(parse("1e400: a\n").documents.first == .object(["1e400": .string("a")]))
    }

    @Test func nullAndComplexKeysAreRejected() {
        #expect(parse("~: a\n").failure?.message.contains("invalid map key") == true)
        #expect(parse("? [a, b]\n: c\n").failure?.message.contains("a mapping key must be a scalar, not a sequence") == true)
        #expect(parse("{? {a: 1} : c}\n").failure?.message.contains("not a mapping") == true)
    }

    @Test func nanAndInfinityCannotBecomeJSON() {
        #expect(parse("x: .nan").failure?.message == "yaml: line 1: json: unsupported value: NaN (at x)")
        #expect(parse("x: -.inf").failure?.message.contains("-Inf") == true)
    }

    @Test func duplicateKeysNameThePathAndBothLines() {
        let block = parse("apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  labels:\n    x: \"1\"\n  name: b\n")
        #expect(block.failure?.message == "yaml: line 7: mapping key \"name\" already defined at line 4 (metadata.name)")
        #expect(block.failure?.line == 7)
        #expect(block.documents.isEmpty)

        let flow = parse("spec: {containers: [{name: a, image: x, name: b}]}\n")
        #expect(flow.failure?.message == "yaml: line 1: mapping key \"name\" already defined at line 1 (spec.containers[0].name)")

        let topLevel = parse("a: 1\nb: 2\na: 3\nb: 4\n")
        #expect(topLevel.failure?.message == "yaml: line 3: mapping key \"a\" already defined at line 1 (a)")
    }

    @Test func keysThatResolveToOneJSONKeyAreDuplicates() {
        let r = parse("labels:\n  1: a\n  \"1\": b\n")
        #expect(r.failure?.message == "yaml: line 3: mapping key \"1\" already defined at line 2 (labels.1)")
        let quoted = parse("a: 1\n'a': 2\n")
        #expect(quoted.failure?.message == "yaml: line 2: mapping key \"a\" already defined at line 1 (a)")
    }

    @Test func duplicateKeysInAnyStyleAreRejected() {
        #expect(parse("\"a\": 1\n\"a\": 2\n").failure?.message == "yaml: line 2: mapping key \"a\" already defined at line 1 (a)")
        #expect(parse("m:\n  'k': 1\n  'k': 2\n").failure?.message == "yaml: line 3: mapping key \"k\" already defined at line 2 (m.k)")
        // A key behind an anchor cannot carry the marker; the error still names key and line.
        let anchored = parse("&x a: 1\na: 2\n")
        #expect(anchored.documents.isEmpty)
        #expect(anchored.failure?.message.contains("mapping key \"a\" already defined at line 1") == true)
        // Two duplicated keys in one mapping: the first one in document order is reported.
        let two = parse("b: 1\na: 1\nb: 2\na: 2\n")
        #expect(two.failure?.message.contains("already defined at line") == true)
    }

    @Test func duplicateInLaterDocumentKeepsEarlierDocuments() {
        let r = parse("a: 1\n---\nb: 1\nb: 2\n")
        #expect(r.documents == [.object(["a": .integer(1)])])
        #expect(r.failure?.message == "yaml: line 4: mapping key \"b\" already defined at line 3 (b)")
    }

    @Test func mergeKeysAreHonouredAndExplicitKeysWin() {
        let r = parse("base: &b {x: 1, w: 2}\nother: &o {z: 3}\nm:\n  <<: [*b, *o]\n  w: 9\n")
        #expect(r.failure == nil)
        #expect(r.documents.first??["m"] == .object(["x": .integer(1), "w": .integer(9), "z": .integer(3)]))
    }

    @Test func aliasesAreExpanded() {
        let r = parse("img: &i busybox:1.36\nlist: [*i, *i]\n")
        #expect(r.documents.first??["list"] == .array([.string("busybox:1.36"), .string("busybox:1.36")]))
    }

    static func billionLaughs() -> String {
        var lines = ["a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]"]
        var previous = "a"
        for name in ["b", "c", "d", "e", "f", "g", "h", "i"] {
            lines.append("\(name): &\(name) [" + Array(repeating: "*" + previous, count: 9).joined(separator: ",") + "]")
            previous = name
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func billionLaughsIsRejectedQuickly() {
        let start = Date()
        let r = parse(Self.billionLaughs())
        #expect(Date().timeIntervalSince(start) < 5)
        #expect(r.documents.isEmpty)
        #expect(r.failure?.message.contains("document contains excessive aliasing: it expands to more than 100000 nodes") == true)
    }

    @Test func aliasBombInAKeyIsRejectedBeforeParsing() {
        let start = Date()
        let r = parse(Self.billionLaughs() + "? *i\n: x\n")
        #expect(Date().timeIntervalSince(start) < 2)
        #expect(r.failure?.message == "yaml: aliases used together with complex (non-scalar) mapping keys are not supported")
    }

    @Test func aliasGuardIgnoresQuotesCommentsAndBlockScalars() {
        #expect(!YAMLAliasGuard.hasHazard("a: &x 1\nb: *x\ncmd: \"ls *.log ? [a]: b\"\n# ? *x : y\n"))
        #expect(!YAMLAliasGuard.hasHazard("a: &x 1\nb: *x\nscript: |\n  [ -f x ]: y\n  ? maybe\nc: 2\n"))
        #expect(YAMLAliasGuard.hasHazard("a: &x 1\n*x : y\n"))
        #expect(!YAMLAliasGuard.hasHazard("? a\n: b\n"))
    }

    @Test func aliasOfALongStringCannotMultiplyMemory() {
        let big = String(repeating: "x", count: 1 << 20)
        let text = "s: &s \(big)\nl: [" + Array(repeating: "*s", count: 40).joined(separator: ",") + "]\n"
        let r = parse(text)
        #expect(r.failure?.message.contains("bytes of text") == true)
    }

    @Test func nestingIsCapped() {
        let deep = String(repeating: "[", count: 300) + String(repeating: "]", count: 300)
        #expect(parse(deep).failure?.message.contains("exceeded max depth of 200") == true)
        let veryDeep = String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000)
        #expect(parse(veryDeep).failure?.message.contains("exceeded max depth") == true)
        let fine = String(repeating: "[", count: 150) + String(repeating: "]", count: 150)
        #expect(parse(fine).failure == nil)
    }

    @Test func syntaxErrorsUseGoYAMLWording() {
        #expect(parse("a:\n\tb: c\n").failure?.message == "yaml: line 2: found character that cannot start any token")
        #expect(parse("a: b\n c: d\n").failure?.message == "yaml: line 2: mapping values are not allowed in this context")
        #expect(parse("a: [1, 2\n").failure?.message.hasPrefix("yaml: line 2: ") == true)
        #expect(parse("a: *nope\n").failure?.message == "yaml: line 1: found undefined alias")
        #expect(parse("a: b\u{1}\n").failure?.message == "yaml: line 1: control characters are not allowed")
    }

    @Test func syntaxErrorAfterGoodDocumentsKeepsThem() {
        let r = parse("a: 1\n---\nb: 2\n---\nc: [\n")
        #expect(r.documents.count == 2)
        #expect(r.failure?.message.hasPrefix("yaml: line 6: ") == true)
    }

    @Test func documentCountIsCapped() {
        var limits = ManifestLimits.default
        limits.maxDocuments = 3
        let r = parse("---\na: 1\n---\nb: 1\n---\nc: 1\n---\nd: 1\n", limits: limits)
        #expect(r.documents.count == 3)
        #expect(r.failure?.message == "yaml: the file holds more than 3 documents")
    }
}

@Suite struct ManifestTextTests {
    @Test func invalidUTF8IsAClearError() {
        #expect(throws: ManifestSyntaxError(message: "yaml: line 2: invalid trailing UTF-8 octet (0xc3 at byte 8)", line: 2)) {
            try ManifestText.decode(Array("a: b\nc: ".utf8) + [0xC3, 0x28])
        }
        #expect(throws: ManifestSyntaxError.self) { try ManifestText.decode([0xFF, 0x41]) }
        #expect(throws: ManifestSyntaxError.self) { try ManifestText.decode([0xE2, 0x82]) }
        #expect(throws: ManifestSyntaxError.self) { try ManifestText.decode([0xC0, 0x80]) }  // overlong
        #expect(throws: ManifestSyntaxError.self) { try ManifestText.decode([0xED, 0xA0, 0x80]) }  // surrogate
    }

    @Test func byteOrderMarksAreHonoured() throws {
        #expect(try ManifestText.decode([0xEF, 0xBB, 0xBF] + Array("a: 1".utf8)) == "a: 1")
        #expect(try ManifestText.decode([0xFF, 0xFE, 0x61, 0x00, 0x3A, 0x00]) == "a:")
        #expect(try ManifestText.decode(Array("é ✓ 😀".utf8)) == "é ✓ 😀")
    }
}

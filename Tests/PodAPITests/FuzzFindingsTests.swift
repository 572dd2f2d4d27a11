import Foundation
import Testing

@testable import PodAPI

/// What scripts/fuzz.sh (inplaced-fuzz) found, each fed back exactly, and the neighbours of each
/// finding. `Fixtures/fuzz/` holds the fuzzer's own files, byte for byte as it saved them
/// (`hang-<seed>-<input>.yaml`: an input that took more than 1 s; `suspicious-...`: an internal
/// error); they are seeds of later fuzzing runs too. No test here measures time: each checks the
/// outcome the fix gives, and the suite's own run time shows that none of them hangs any more.
///
/// The findings, all in the YAML reader (Yams hashes every mapping's keys while it composes):
/// - hang-1-7719, hang-1-19597: aliases in a key the old text scan of YAMLAliasGuard missed (a
///   tab before the `:`), so Yams hashed a billion-laughs expansion: unbounded. Now refused whole.
/// - hang-1-23430: non-scalar keys inside non-scalar keys (`? ? ? ...`), hashed again at every
///   level: 28 s for 64 KiB (minutes for a 4 MiB file). Now the document is rejected unread.
/// - hang-1-1891: a ladder of aliases of a 5,000-digit scalar, resolved again at each of the
///   thousands of visits until the 16 MiB budget: 2.5 s. Long scalars' resolutions are now kept.
/// - hang-1-190167, hang-1-38286: a key repeated thousands of times: one full parse per
///   repetition (16 parses of 64 KiB, 1.4 s), and a message naming the parser's internal sentinel
///   (`mapping key "inplaced-duplicate-key-sentinel-spec" ...`). Now at most about 256 KiB of
///   re-parsing, and the key as written.
/// - hang-1-429048: 31 lines of 1,000 nested flow lists and a repeated key: libyaml checks every
///   open flow collection at every token (0.2 s a parse here), and the duplicate-key report parsed
///   it 5 times (1.7 s). Nesting past the 200 the converter accepts now stops the document in the
///   guard's scan, and the re-parses are bounded by the scan's measure of a parse's cost.
/// - Two found by hand while looking into a run's peak RSS (219 then 577 MiB; most of it turned
///   out to be the generator's own, building a tree of a million nodes before cutting the text,
///   since bounded), with inputs written for the purpose:
///   - 16 MiB of aliased text, the old budget, made decoding and quoting a document cost seconds
///     and hundreds of MiB (a 256 KiB string of `\0` aliased 60 times: 3 s and 127 MiB to say
///     `Object 'Kind' is missing`). The budget is now 4 MiB (the largest file read) and an error
///     quotes only the start of the document.
///   - Yams composes a whole document before the converter counts its nodes: a 4 MiB flow list of
///     2 million numbers took 3 s and 300 MiB to be rejected. A document of more nodes than the
///     limit is now rejected before Yams reads it.
/// - suspicious-20261202-1726: a readiness gate without `conditionType` passed the schema check
///   and failed the typed decode (`internal error decoding the checked document: DecodingError...`).
///   It now decodes to "" as Go's does, and validation names the field.
@Suite struct FuzzFindingsTests {
    static let aliasKeyError = "yaml: aliases used together with complex (non-scalar) mapping keys are not supported"

    static var fuzzDirectory: String { Fixtures.directory + "/fuzz" }

    static func loadFinding(_ name: String) throws -> ManifestLoadResult {
        let bytes = try #require(FileManager.default.contents(atPath: fuzzDirectory + "/" + name))
        return ManifestLoader.load(data: [UInt8](bytes), fileName: name)
    }

    /// `load(text)` on a low-priority thread: the findings cost up to seconds each in a debug
    /// build, which on the runner's cooperative threads held up every other test (BackgroundThread).
    static func loadInBackground(_ text: String) async -> ManifestLoadResult {
        await BackgroundThread.run { load(text) }
    }

    struct Finding: Sendable, CustomTestStringConvertible {
        let file: String
        let message: String
        var testDescription: String { file }
    }

    static let findings: [Finding] = [
        Finding(file: "hang-1-7719.yaml", message: aliasKeyError),
        Finding(file: "hang-1-19597.yaml", message: aliasKeyError),
        Finding(
            file: "hang-1-23430.yml", message: "yaml: line 8: invalid map key at <root>: a mapping key must be a scalar, not a mapping"),
        Finding(
            file: "hang-1-1891.yaml",
            message: "yaml: line 3: document contains excessive aliasing: it expands to more than 4194304 bytes of text"),
        Finding(file: "hang-1-190167.yaml", message: "yaml: mapping key \"image\" already defined at line 8"),
        Finding(file: "hang-1-38286.yaml", message: "yaml: mapping key \"spec\" already defined at line 7"),
        Finding(file: "hang-1-429048.yaml", message: "yaml: line 5: exceeded max depth of 200"),
    ]

    @Test(arguments: findings)
    func eachHangIsNowAnErrorNamingTheFileAndDocument(_ f: Finding) async throws {
        let bytes = try #require(FileManager.default.contents(atPath: Self.fuzzDirectory + "/" + f.file))
        let r = await BackgroundThread.run { ManifestLoader.load(data: [UInt8](bytes), fileName: f.file) }
        #expect(r.pods.isEmpty)
        #expect(r.errors == [ManifestError(file: f.file, document: 0, message: f.message)])
    }

    @Test func everyFuzzFixtureLoadsWithAnErrorNamingItsFile() async {
        let names = Fixtures.entries(in: Self.fuzzDirectory).filter(ManifestLoader.isManifestName)
        #expect(names.count == Self.findings.count + 1)
        let directory = Self.fuzzDirectory
        let results = await BackgroundThread.run { names.map { ManifestLoader.load(file: directory + "/" + $0) } }
        for (name, r) in zip(names, results) {
            #expect(!r.errors.isEmpty, "\(name)")
            #expect(r.errors.allSatisfy { $0.file.hasSuffix("/" + name) && $0.document != nil }, "\(name)")
            #expect(!r.errors.contains { $0.message.contains(YAMLManifestParser.sentinel) || $0.message.contains("internal error") })
        }
    }

    @Test func aReadinessGateWithoutConditionTypeIsAValidationError() throws {
        let r = try Self.loadFinding("suspicious-20261202-1726.yaml")
        #expect(r.pods.map(\.document) == [0])
        #expect(r.errors.map(\.document) == [1, 1])
        #expect(r.errors.first?.message == "spec.readinessGates[0].conditionType: Invalid value: \"\": name part must be non-empty")
        for gate in ["{}", "{conditionType: null}", "{conditionTypes: x}"] {
            let messages = load(podYAML(spec: "  readinessGates: [\(gate)]\n")).messages
            #expect(messages.first == "spec.readinessGates[0].conditionType: Invalid value: \"\": name part must be non-empty", "\(gate)")
            #expect(!messages.contains { $0.contains("internal error") }, "\(gate)")
        }
    }

    // MARK: Aliases in keys

    /// A ladder of 9 levels of 9 aliases: 387,420,489 nodes once expanded.
    static let ladder: String = {
        var s = "k0: &k0 [\"lol\"]\n"
        for level in 1...9 { s += "k\(level): &k\(level) [" + Array(repeating: "*k\(level - 1)", count: 9).joined(separator: ",") + "]\n" }
        return s
    }()

    struct TextCase: Sendable, CustomTestStringConvertible {
        let text: String
        var testDescription: String { text.debugDescription }
    }

    /// Every way found to put an alias in a key past the old text scan, and the plain ones it caught.
    static let aliasKeys: [TextCase] = [
        "*k9\t: x\n", "*k9 : x\n", "[*k9]\t: x\n", "[*k9] : x\n", "m: {[*k9]\t: x}\n", "{\"q\":*k9}: x\n", "m: {[*k9]:x}\n",
        "m: {?[*k9]: x}\n", "m: {*k9}\n", "m: [[*k9]: x]\n", "m:\n  ? - *k9\n  : x\n", "? *k9\n: x\n",
        // A quote inside a plain scalar, which the old scan took for the start of a string.
        "a: x \"\n[*k9]: y\nb: x \"\n",
        // A `#` inside a quoted string, which the old scan took for a comment.
        "m: {a: \"b #\", [*k9]: x}\n",
        // A key over two lines in a flow mapping (libyaml fails later; refused at the key).
        "m: {[*k9,\n  *k9]: x}\n",
    ].map(TextCase.init)

    @Test(arguments: aliasKeys)
    func aliasesInKeysAreRefusedBeforeYamsHashesThem(_ c: TextCase) {
        let r = YAMLManifestParser.parse(Self.ladder + c.text + "kind: Pod\n")
        #expect(r.documents.isEmpty)
        #expect(r.failure?.message == Self.aliasKeyError)
    }

    static let anchoredPod = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: anchored
          labels: &labels {app: web}
        spec:
          nodeSelector: *labels
          containers: [{name: app, image: nginx, args: ["--x", "*.log", "? [a]: b # *labels"]}]

        """

    @Test func anchorsAndAliasesWithoutAliasKeysStillLoad() {
        let r = load(Self.anchoredPod)
        #expect(r.errors.isEmpty)
        #expect(r.pods.first?.pod.metadata.labels == ["app": "web"])
        #expect(r.pods.first?.pod.spec.other["nodeSelector"] == .object(["app": .string("web")]))
        #expect(YAMLAliasGuard.check("a: &x [1]\nb: *x\nc: {d: [*x]}\n? e\n: f\n") == .safe)
        for prefix in ["", "# c\n", "---\n", "%YAML 1.1\n---\n", "\r\n# c\r\n", "--- # c\n"] {
            #expect(load(prefix + Self.anchoredPod).pods.count == 1, "\(prefix.debugDescription)")
        }
    }

    @Test func aSyntaxErrorAfterAliasesKeepsItsWordingLineAndDocument() {
        let text = Self.anchoredPod + "---\napiVersion: v1\nkind: Pod\nmetadata: {name: two\nspec: {}\n"
        let r = load(text)
        #expect(r.pods.map(\.pod.metadata.name) == ["anchored"])
        #expect(r.errors.map(\.document) == [1])
        #expect(r.errors.first?.message.hasPrefix("yaml: line 13: ") == true)
    }

    // MARK: Non-scalar keys in non-scalar keys

    static let nestedKeys: [TextCase] = [
        "? ? a\n  : b\n: c\n", "{{a: b}: c}: d\n", "x: {{{a: b}}}\n", "? [{a: b}: c]\n: d\n", "- {[[a]: b]: c}\n",
        String(repeating: "? ", count: 900) + "x\n",
    ].map(TextCase.init)

    @Test(arguments: nestedKeys)
    func aKeyInsideANonScalarKeyRejectsItsDocumentBeforeYamsHashesIt(_ c: TextCase) {
        let r = YAMLManifestParser.parse("apiVersion: v1\n---\n" + c.text + "---\nkind: Pod\n")
        #expect(r.documents == [.object(["apiVersion": .string("v1")])])
        #expect(r.failure?.message.hasPrefix("yaml: line 3: invalid map key at ") == true, "\(r.failure?.message ?? "")")
        #expect(
            r.failure?.message.hasSuffix("a mapping key must be a scalar, not a mapping") == true
                || r.failure?.message.hasSuffix("a mapping key must be a scalar, not a sequence") == true)
    }

    @Test func aNestedKeyIsNamedByTheOuterKeysPath() {
        let r = YAMLManifestParser.parse("metadata:\n  labels:\n    - a\n    - {? {{x: y}: w}: z}\n")
        #expect(r.failure?.message == "yaml: line 4: invalid map key at metadata.labels[1]: a mapping key must be a scalar, not a mapping")
        // One non-scalar key alone is read as before: the converter rejects it with the same words.
        let single = YAMLManifestParser.parse("metadata:\n  labels:\n    - a\n    - {? [x]: z}\n")
        #expect(
            single.failure?.message == "yaml: line 4: invalid map key at metadata.labels[1]: a mapping key must be a scalar, not a sequence"
        )
    }

    // MARK: Huge documents

    @Test func aDocumentOfMoreNodesThanTheLimitIsRejectedBeforeYamsReadsIt() async {
        // 3 nodes (the mapping, `a`, the list) and 99,997 numbers: at the limit, read as before.
        let list: @Sendable (Int) -> String = { n in "a: [" + Array(repeating: "1", count: n).joined(separator: ",") + "]\n" }
        var block = ""
        for i in 0..<60_000 { block += "k\(i): v\n" }
        let (atLimit, over, blockResult) = await BackgroundThread.run { [block] in
            (
                YAMLManifestParser.parse(list(99_997)), YAMLManifestParser.parse("kind: Pod\n---\n" + list(2_000_000)),
                YAMLManifestParser.parse(block)
            )
        }
        #expect(atLimit.failure == nil)
        #expect(atLimit.documents.first??["a"]?.arrayValue?.count == 99_997)
        #expect(over.documents == [.object(["kind": .string("Pod")])])
        #expect(over.failure?.message == "yaml: line 3: document has more than 100000 nodes")
        #expect(blockResult.failure?.message == "yaml: line 50000: document has more than 100000 nodes")
    }

    @Test func aDocumentOfAliasedEscapesIsRejectedAndQuotedCheaply() async {
        let nul = String(repeating: "\\0", count: 256 << 10)
        let noKind = "s: &s \"\(nul)\"\nl: [" + Array(repeating: "*s", count: 15).joined(separator: ",") + "]\n"
        let message = await Self.loadInBackground(noKind).messages.first ?? ""
        #expect(message.hasPrefix("Object 'Kind' is missing in '{\"l\":[\"\\u0000\\u0000"))
        #expect(message.count == "Object 'Kind' is missing in ''".count + PodDecoding.quotedDocumentLimit + 1)
        let tooMuch = "s: &s \"\(nul)\"\nl: [" + Array(repeating: "*s", count: 17).joined(separator: ",") + "]\n"
        #expect(
            await Self.loadInBackground(tooMuch).messages == [
                "yaml: line 1: document contains excessive aliasing: it expands to more than 4194304 bytes of text"
            ])
    }

    // MARK: Repeated keys

    @Test func aKeyWrittenThreeTimesIsReportedWithItsPathAndBothLines() {
        let text = podYAML().replacingOccurrences(of: "  name: web\n", with: "  name: web\n  name: two\n  name: three\n")
        #expect(load(text).messages == ["yaml: line 5: mapping key \"name\" already defined at line 4 (metadata.name)"])
    }

    @Test func thousandsOfRepeatedKeysNameTheKeyAsWritten() async {
        var text = "apiVersion: v1\nkind: Pod\nmetadata:\n"
        for i in 0..<5_000 { text += "  name: n\(i)\n" }
        let messages = await Self.loadInBackground(text).messages
        #expect(messages == ["yaml: mapping key \"name\" already defined at line 4"])
    }
}

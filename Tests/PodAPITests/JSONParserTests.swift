import Testing

@testable import PodAPI

@Suite struct JSONParserTests {
    func parse(_ s: String) throws -> JSONValue? { try StrictJSONParser.parse(s) }

    func failure(_ s: String) -> String? {
        do {
            _ = try parse(s)
            return nil
        } catch { return "\(error)" }
    }

    @Test func parsesValues() throws {
        let v = try parse(" {\"a\": [1, -2, 3.5, 1e2, true, false, null, \"x\\n\\u00e9\\ud83d\\ude00\"], \"b\": {}} ")
        #expect(
            v
                == .object([
                    "a": .array([
                        .integer(1), .integer(-2), .number(3.5), .number(100), .bool(true), .bool(false), .null,
                        .string("x\né😀"),
                    ]),
                    "b": .object([:]),
                ]))
        #expect(try parse("") == nil)
        #expect(try parse(" \n\t ") == nil)
        #expect(try parse("9223372036854775807") == .integer(Int64.max))
        #expect(try parse("9223372036854775808") == .number(9_223_372_036_854_775_808))
    }

    struct ErrorCase: Sendable, CustomTestStringConvertible {
        let input: String
        let message: String
        var testDescription: String { input.debugDescription }
    }

    static let errors: [ErrorCase] = [
        .init(input: "{\"a\": 1,}", message: "json: line 1: invalid character '}' looking for beginning of object key string"),
        .init(input: "[1, 2,]", message: "json: line 1: invalid character ']' looking for beginning of value"),
        .init(input: "{\"a\" 1}", message: "json: line 1: invalid character '1' after object key"),
        .init(input: "{\"a\": 1 \"b\": 2}", message: "json: line 1: invalid character '\"' after object key:value pair"),
        .init(input: "[1 2]", message: "json: line 1: invalid character '2' after array element"),
        .init(input: "{a: 1}", message: "json: line 1: invalid character 'a' looking for beginning of object key string"),
        .init(input: "{\"a\": 1}\n{}", message: "json: line 2: invalid character '{' after top-level value"),
        .init(input: "{\"a\": tru}", message: "json: line 1: invalid character '}' in literal true (expecting 'e')"),
        .init(input: "{\"a\": nul", message: "json: line 1: unexpected end of JSON input"),
        .init(input: "\"a\nb\"", message: "json: line 1: invalid character '\\n' in string literal"),
        .init(input: "\"\\x\"", message: "json: line 1: invalid character 'x' in string escape code"),
        .init(input: "\"\\u12g4\"", message: "json: line 1: invalid character 'g' in \\u hexadecimal character escape"),
        .init(input: "-a", message: "json: line 1: invalid character 'a' in numeric literal"),
        .init(input: "1.e5", message: "json: line 1: invalid character 'e' after decimal point in numeric literal"),
        .init(input: "01", message: "json: line 1: invalid character '1' after top-level value"),
        .init(input: "'a'", message: "json: line 1: invalid character '\\'' looking for beginning of value"),
        .init(input: "// c\n{}", message: "json: line 1: invalid character '/' looking for beginning of value"),
        .init(input: "[", message: "json: line 1: unexpected end of JSON input"),
        .init(input: "1e999", message: "json: line 1: cannot unmarshal number 1e999: value out of range"),
    ]

    @Test(arguments: errors)
    func errorsUseGoWording(_ c: ErrorCase) {
        #expect(failure(c.input) == c.message)
    }

    @Test func duplicateKeysAreRejectedWithPathAndLines() {
        let text = "{\n  \"metadata\": {\n    \"name\": \"a\",\n    \"name\": \"b\"\n  }\n}"
        #expect(failure(text) == "json: line 4: duplicate key \"name\" in object, first defined at line 3 (metadata.name)")
    }

    @Test func syntaxErrorWinsOverAnEarlierDuplicate() {
        #expect(failure("{\"a\": 1, \"a\": 2,}") == "json: line 1: invalid character '}' looking for beginning of object key string")
    }

    @Test func depthIsCapped() {
        let deep = String(repeating: "[", count: 201) + String(repeating: "]", count: 201)
        #expect(failure(deep) == "json: line 1: exceeded max depth of 200")
        let ok = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        #expect(failure(ok) == nil)
        let huge = String(repeating: "{\"a\":", count: 100_000)
        #expect(failure(huge)?.contains("exceeded max depth") == true)
    }

    @Test func jsonManifestIsNotReadAsYAML() {
        // YAML flow style would accept this; strict JSON must not.
        let r = load("{\"apiVersion\": \"v1\", \"kind\": \"Pod\", metadata: {}}", name: "p.json")
        #expect(r.pods.isEmpty)
        #expect(r.messages == ["json: line 1: invalid character 'm' looking for beginning of object key string"])
    }
}

import Foundation
import Testing

@testable import PodAPI

/// The optional corpus tier (see `Corpus`): the third-party edge corpus (`corpus/edge` of the
/// shared directory beside the clone, or of `$INPLACED_SHARED_DIR`) against its EXPECTED.md.
/// The repository's own edge cases are EdgeFixtureTests; this suite runs only when the corpus is
/// there and is skipped otherwise (CorpusPresenceTests fails instead under INPLACED_REQUIRE_CORPUS=1).
@Suite(.enabled(if: Corpus.isPresent, "the optional edge corpus is not there (set INPLACED_SHARED_DIR, or keep shared/ beside the clone)"))
struct EdgeCorpusTests {
    enum Outcome: Sendable {
        /// Admitted as namespace/name.
        case accept(String)
        /// Rejected; some error contains each string.
        case reject([String])
        /// No pod and no error.
        case empty
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let file: String
        let outcome: Outcome
        var testDescription: String { file }
        init(_ file: String, _ outcome: Outcome) {
            self.file = file
            self.outcome = outcome
        }
    }

    static let rfc1123Label =
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
    static let rfc1123Subdomain =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"

    static let cases: [Case] = [
        Case("01-bad-indent.yaml", .reject(["yaml: line 10: mapping values are not allowed in this context"])),
        Case("02-tab-indent.yaml", .reject(["yaml: line 5: found character that cannot start any token"])),
        Case(
            "03-containers-wrong-type.yaml",
            .reject(["json: cannot unmarshal string into Go struct field PodSpec.spec.containers of type []v1.Container"])),
        Case("04-no-containers.yaml", .reject(["spec.containers: Required value"])),
        Case("05-empty-container-name.yaml", .reject(["spec.containers[0].name: Required value"])),
        Case("06-dup-container-names.yaml", .reject(["spec.containers[1].name: Duplicate value: \"app\""])),
        Case("08-uppercase-container-name.yaml", .reject(["spec.containers[0].name: Invalid value: \"MyApp\": " + rfc1123Label])),
        Case("10-empty-image.yaml", .reject(["spec.containers[0].image: Required value"])),
        Case(
            "11-image-trailing-space.yaml",
            .reject(["spec.containers[0].image: Invalid value: \"busybox:1.36 \": must not have leading or trailing whitespace"])),
        Case("13-image-with-space.yaml", .reject(["spec.containers[0].image: Invalid value: \"busy box:1.36\": invalid reference format"])),
        Case("14-kind-deployment.yaml", .reject(["kind: Unsupported value: \"Deployment\": supported values: \"Pod\""])),
        Case("15-apiversion-v2.yaml", .reject(["apiVersion: Unsupported value: \"v2\": supported values: \"v1\""])),
        Case("16-empty.yaml", .empty),
        Case("17-only-separator.yaml", .empty),
        Case("19-bad-metadata-name.yaml", .reject(["metadata.name: Invalid value: \"Bad_Name!\": " + rfc1123Subdomain])),
        Case("20-no-namespace.yaml", .accept("default/no-namespace")),
        Case(
            "21-negative-deadline.yaml",
            .reject(["spec.activeDeadlineSeconds: Invalid value: -30: must be between 1 and 2147483647, inclusive"])),
        Case(
            "22-zero-deadline.yaml", .reject(["spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive"])),
        Case(
            "23-readiness-gate-empty.yaml",
            .reject([
                "spec.readinessGates[0].conditionType: Invalid value: \"\": name part must be non-empty",
                "spec.readinessGates[0].conditionType: Invalid value: \"\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
            ])),
        Case("24-readiness-gate-inplace.yaml", .accept("default/readiness-gate-inplace")),
        Case("25-unknown-fields.yaml", .accept("default/unknown-fields")),
        Case("27-json-trailing-comma.json", .reject(["invalid character '}' looking for beginning of object key string", "line 13"])),
        Case("28-valid.json", .accept("default/valid-json")),
        Case("30-300-containers.yaml", .accept("default/many-containers")),
        Case("32-image-digest.yml", .accept("default/image-digest")),
        Case("33-image-registry-port.yaml", .accept("default/image-registry-port")),
        Case("34-image-no-tag.yaml", .accept("default/image-no-tag")),
        Case(
            "35-restart-sometimes.yaml",
            .reject(["spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\""])),
        Case("38-container-name-63.yaml", .accept("default/container-name-63")),
        Case("39-missing-metadata-name.yaml", .reject(["metadata.name: Required value: name or generateName is required"])),
        Case("40-comment-only.yaml", .empty),
        Case("42-empty-containers-list.yaml", .reject(["spec.containers: Required value"])),
    ]

    @Test func everyManifestFileHasACase() {
        #expect(Corpus.manifestNames(in: Corpus.edge) == Self.cases.map(\.file))
    }

    @Test(arguments: cases)
    func fileGivesExpectedOutcome(_ c: Case) {
        let path = Corpus.edge + "/" + c.file
        let r = ManifestLoader.load(file: path)
        switch c.outcome {
        case .accept(let key):
            #expect(r.errors.isEmpty, "\(r.errors)")
            #expect(r.pods.map(\.key) == [key])
        case .empty:
            #expect(r.pods.isEmpty)
            #expect(r.errors.isEmpty, "\(r.errors)")
            #expect(r.warnings.count == 1)
        case .reject(let expected):
            #expect(r.pods.isEmpty)
            #expect(!r.errors.isEmpty)
            #expect(r.errors.allSatisfy { $0.file == path && $0.document == 0 })
            for e in expected {
                #expect(r.messages.contains { $0.contains(e) }, "no error contains \(e); got \(r.messages)")
            }
        }
    }

    @Test func directoryAdmitsExactlyTheNineExpectedPods() {
        let r = ManifestLoader.loadDirectory(Corpus.edge)
        #expect(
            Set(r.pods.map(\.key)) == [
                "default/no-namespace", "default/readiness-gate-inplace", "default/unknown-fields", "default/valid-json",
                "default/many-containers", "default/image-digest", "default/image-registry-port", "default/image-no-tag",
                "default/container-name-63",
            ])
        #expect(r.pods.count == 9)
        #expect(r.skipped == ["EXPECTED.md"])
        // Every rejected manifest is named by at least one error; empty ones by none.
        let rejected = Set(
            Self.cases.compactMap { c -> String? in
                if case .reject = c.outcome { return c.file }
                return nil
            })
        let named = Set(r.errors.map { ($0.file as NSString).lastPathComponent })
        #expect(named == rejected)
    }

    @Test func unknownFieldsAreWarnedWithFullPathsAndDropped() throws {
        let r = ManifestLoader.load(file: Corpus.edge + "/25-unknown-fields.yaml")
        let admitted = try #require(r.pods.first)
        #expect(
            admitted.warnings == [
                "unknown field \"metadata.labelz\"",
                "unknown field \"spec.containers[0].imagePullPolicyy\"",
                "unknown field \"spec.fooBar\"",
            ])
        #expect(r.warnings.map(\.message) == admitted.warnings)
        #expect(r.warnings.allSatisfy { $0.document == 0 })
        // The misspelt field is dropped, so the pull policy is the default for a tagged image.
        #expect(admitted.pod.spec.containers[0].imagePullPolicy == "IfNotPresent")
        #expect(admitted.pod.spec.other["fooBar"] == nil)
        #expect(admitted.pod.metadata.labels == nil)
    }

    @Test func acceptedPodsHaveTheExpectedContent() throws {
        let json = try #require(ManifestLoader.load(file: Corpus.edge + "/28-valid.json").pods.first?.pod)
        #expect(json.spec.restartPolicy == "OnFailure")
        #expect(json.spec.containers.map(\.name) == ["app"])
        #expect(json.spec.containers[0].image == "busybox:1.36")
        #expect(json.metadata.labels == ["app": "valid-json"])

        let many = try #require(ManifestLoader.load(file: Corpus.edge + "/30-300-containers.yaml").pods.first?.pod)
        #expect(many.spec.containers.count == 300)
        #expect(many.spec.containers.map(\.name) == (0..<300).map { "c\($0)" })
        #expect(many.spec.containers.allSatisfy { $0.image == "busybox:1.36" })

        let digest = try #require(ManifestLoader.load(file: Corpus.edge + "/32-image-digest.yml").pods.first?.pod)
        #expect(digest.spec.containers[0].imagePullPolicy == "IfNotPresent")
        let port = try #require(ManifestLoader.load(file: Corpus.edge + "/33-image-registry-port.yaml").pods.first?.pod)
        #expect(port.spec.containers[0].imagePullPolicy == "IfNotPresent")
        let noTag = try #require(ManifestLoader.load(file: Corpus.edge + "/34-image-no-tag.yaml").pods.first?.pod)
        #expect(noTag.spec.containers[0].imagePullPolicy == "Always")

        let gate = try #require(ManifestLoader.load(file: Corpus.edge + "/24-readiness-gate-inplace.yaml").pods.first?.pod)
        #expect(gate.spec.readinessGates == [PodReadinessGate(conditionType: WellKnown.inPlaceUpdateReady)])
    }

    @Test func threeHundredContainersLoadFast() {
        let start = Date()
        for _ in 0..<5 { _ = ManifestLoader.load(file: Corpus.edge + "/30-300-containers.yaml") }
        #expect(Date().timeIntervalSince(start) < 10)
    }
}

import Foundation
import Testing

@testable import PodAPI

/// The repository's own bad and borderline manifests (`Fixtures/edge`), each with the exact
/// outcome the loader must give: the pods it admits, and every error and warning with its document
/// (nil for the whole file) and its message in Kubernetes' (or go-yaml's, encoding/json's) wording.
///
/// File names say the class of case: `yaml-` and `json-` syntax, `kind-`/`apiversion-` type meta,
/// `type-` wrong JSON types, `invalid-` validation errors, `accept-` borderline but valid, `empty-`
/// no object at all, `conflict-` one namespace/name defined twice, `mixed-` good and bad documents
/// in one file. Each YAML fixture says what it exercises in its first comment lines (JSON and the
/// empty files cannot hold a comment; their names say it). A few are about their exact bytes
/// (`Fixtures/.gitattributes` keeps git from converting them; `bytesAreAsWritten` checks).
@Suite struct EdgeFixtureTests {
    /// One error or warning: its 0-based document (nil: the whole file) and its message.
    struct Line: Hashable, Sendable, CustomStringConvertible {
        let document: Int?
        let message: String
        init(_ document: Int?, _ message: String) {
            self.document = document
            self.message = message
        }
        var description: String { "[\(document.map(String.init) ?? "file")] \(message)" }
    }

    /// Everything one file yields. In messages, `<edge>` stands for the fixture directory's path.
    struct Outcome: Sendable {
        var pods: [String] = []
        var errors: [Line] = []
        var warnings: [Line] = []

        /// Admitted as these namespace/name keys (one per document, in order), with no error and
        /// these warnings of document 0.
        static func accept(_ keys: String..., warnings: [String] = []) -> Outcome {
            Outcome(pods: keys, warnings: warnings.map { Line(0, $0) })
        }

        /// No pod; document 0 is rejected with exactly these errors.
        static func reject(_ messages: String...) -> Outcome { Outcome(errors: messages.map { Line(0, $0) }) }

        /// No pod; the whole file is rejected (document nil) with this error.
        static func rejectFile(_ message: String) -> Outcome { Outcome(errors: [Line(nil, message)]) }

        /// No object in the file: no pod, no error, one warning for the file.
        static let empty = Outcome(warnings: [Line(nil, EdgeFixtureTests.noObject)])

        /// Some documents admitted, others rejected.
        static func mixed(_ keys: [String], errors: [Line]) -> Outcome { Outcome(pods: keys, errors: errors) }
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

    static let noObject = "the file holds no object (empty, comments only, or empty documents); no pod loaded"
    static let rfc1123Label =
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
    static let rfc1123Subdomain =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
    static let qualifiedNamePart =
        "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
    static let labelValue =
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
    static let deadlineRange = "must be between 1 and 2147483647, inclusive"
    static func duplicatePod(_ key: String, in file: String, document: Int) -> String {
        "metadata.name: Duplicate value: \"\(key)\": pod \(key) is already defined in <edge>/\(file) (document \(document)), whose definition is kept (the one running, else the first in file name order)"
    }

    static let cases: [Case] = [
        // Borderline but valid.
        Case("accept-300-containers.yaml", .accept("default/three-hundred")),
        Case("accept-container-name-63.yaml", .accept("default/longest-container-name")),
        Case("accept-crlf-line-endings.yaml", .accept("default/crlf-endings")),
        Case("accept-generate-name.yaml", .accept("default/report-c4s8z")),
        Case("accept-image-digest.yml", .accept("default/pinned-by-digest")),
        Case("accept-image-latest.YAML", .accept("default/latest-image")),
        Case("accept-image-registry-port.yaml", .accept("default/private-registry-port")),
        Case("accept-image-untagged.yaml", .accept("default/untagged-image")),
        Case("accept-no-namespace.yaml", .accept("default/namespace-omitted")),
        Case("accept-null-fields.yaml", .accept("default/explicit-nulls")),
        Case("accept-readiness-gate-inplace.yaml", .accept("storefront/gated-for-inplace")),
        Case("accept-status-dropped.yaml", .accept("default/dumped-with-status")),
        Case(
            "accept-unknown-fields.yaml",
            .accept(
                "default/typos-inside",
                warnings: [
                    "unknown field \"metadata.annotatoins\"",
                    "unknown field \"spec.containers[0].imagePolicy\"",
                    "unknown field \"spec.restartPolicyy\"",
                ])),
        Case("accept-utf16.yaml", .accept("default/utf16-text")),
        Case("accept-utf8-bom.yaml", .accept("default/with-bom")),
        Case("accept-yaml-1-1-booleans.yaml", .accept("default/yaml-one-one")),
        Case("accept-yaml-anchors.yaml", .accept("default/anchored")),
        Case("accept-yaml-merge-key.yaml", .accept("default/merged")),

        // Type meta.
        Case(
            "apiversion-missing.yaml",
            .reject(
                #"Object 'apiVersion' is missing in '{"kind":"Pod","metadata":{"name":"versionless"},"spec":{"containers":[{"image":"alpine:3.20","name":"app"}]}}'"#
            )),
        Case("apiversion-v1beta1.yaml", .reject(#"apiVersion: Unsupported value: "v1beta1": supported values: "v1""#)),

        // One namespace/name defined twice (and look-alikes that are not conflicts).
        Case("conflict-across-files-a.yaml", .accept("default/shared-name")),
        Case("conflict-across-files-b.yaml", .accept("default/shared-name")),  // alone; see directoryLoad
        Case(
            "conflict-implicit-default-namespace.yaml",
            .mixed(
                ["default/where-am-i"],
                errors: [
                    Line(1, duplicatePod("default/where-am-i", in: "conflict-implicit-default-namespace.yaml", document: 0))
                ])),
        Case("conflict-other-namespace.yaml", .accept("staging/same-name", "production/same-name")),
        Case(
            "conflict-same-name-in-file.yaml",
            .mixed(
                ["default/twin", "default/twin-sibling"],
                errors: [
                    Line(2, duplicatePod("default/twin", in: "conflict-same-name-in-file.yaml", document: 0))
                ])),
        Case("conflict-shared-uid.yaml", .accept("default/uid-copy-one", "default/uid-copy-two")),

        // No object at all.
        Case("empty-comments-only.yaml", .empty),
        Case("empty-separator-only.yaml", .empty),
        Case("empty-several-documents.yaml", .empty),
        Case("empty-whitespace.json", .empty),
        Case("empty-zero-bytes.yaml", .empty),

        // Validation (apiserver's ValidatePodCreate).
        Case(
            "invalid-container-name-64.yaml",
            .reject(
                #"spec.containers[0].name: Invalid value: "database-primary-with-a-rather-long-name-for-a-container-xyz1234": must be no more than 63 characters"#
            )),
        Case("invalid-container-name-duplicate.yaml", .reject(#"spec.containers[1].name: Duplicate value: "db""#)),
        Case("invalid-container-name-missing.yaml", .reject("spec.containers[0].name: Required value")),
        Case("invalid-container-name-uppercase.yaml", .reject(#"spec.containers[0].name: Invalid value: "MariaDB": "# + rfc1123Label)),
        Case("invalid-deadline-negative.yaml", .reject("spec.activeDeadlineSeconds: Invalid value: -5: " + deadlineRange)),
        Case("invalid-deadline-zero.yaml", .reject("spec.activeDeadlineSeconds: Invalid value: 0: " + deadlineRange)),
        Case(
            "invalid-dns-policy.yaml",
            .reject(
                #"spec.dnsPolicy: Unsupported value: "Custom": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None""#
            )),
        Case("invalid-empty-containers.yaml", .reject("spec.containers: Required value")),
        Case(
            "invalid-env-name.yaml",
            .reject(
                #"spec.containers[0].env[0].name: Invalid value: "MODE=prod": a valid environment variable name must consist only of printable ASCII characters other than '='"#
            )),
        Case("invalid-ephemeral-containers.yaml", .reject("spec.ephemeralContainers: Forbidden: cannot be set on create")),
        Case(
            "invalid-generate-name.yaml",
            .reject(
                #"metadata.generateName: Invalid value: "Nightly_": "# + rfc1123Subdomain,
                #"metadata.name: Invalid value: "Nightly_wmb5q": "# + rfc1123Subdomain
            )),
        Case(
            "invalid-grace-negative.yaml",
            .reject("spec.terminationGracePeriodSeconds: Invalid value: -1: must be greater than or equal to 0")),
        Case(
            "invalid-host-network-port-mismatch.yaml",
            .reject("spec.containers[0].ports[0].hostPort: Invalid value: 80: must match `containerPort` when `hostNetwork` is true")),
        Case("invalid-host-port-duplicate.yaml", .reject(#"spec.containers[1].ports[0].hostPort: Duplicate value: "/TCP/9000""#)),
        Case(
            "invalid-image-inner-space.yaml",
            .reject(#"spec.containers[0].image: Invalid value: "traefik: v3.1": invalid reference format"#)),
        Case(
            "invalid-image-leading-space.yaml",
            .reject(#"spec.containers[0].image: Invalid value: " traefik:v3.1": must not have leading or trailing whitespace"#)),
        Case("invalid-image-missing.yaml", .reject("spec.containers[0].image: Required value")),
        Case("invalid-init-container-name-clash.yaml", .reject(#"spec.initContainers[0].name: Duplicate value: "migrate""#)),
        Case("invalid-label-value.yaml", .reject(#"metadata.labels: Invalid value: "payments / checkout": "# + labelValue)),
        Case(
            "invalid-many-errors.yaml",
            .reject(
                #"metadata.name: Invalid value: "Everything_Wrong": "# + rfc1123Subdomain,
                #"spec.containers[0].name: Invalid value: "Web": "# + rfc1123Label,
                "spec.containers[0].image: Required value",
                #"spec.restartPolicy: Unsupported value: "Rarely": supported values: "Always", "OnFailure", "Never""#,
                "spec.activeDeadlineSeconds: Invalid value: 0: " + deadlineRange
            )),
        Case("invalid-namespace.yaml", .reject(#"metadata.namespace: Invalid value: "team.payments": "# + rfc1123Label)),
        Case("invalid-no-containers.yaml", .reject("spec.containers: Required value")),
        Case("invalid-pod-name-missing.yaml", .reject("metadata.name: Required value: name or generateName is required")),
        Case("invalid-pod-name.yaml", .reject(#"metadata.name: Invalid value: "Cart_Service": "# + rfc1123Subdomain)),
        Case(
            "invalid-port-out-of-range.yaml",
            .reject("spec.containers[0].ports[0].containerPort: Invalid value: 80800: must be between 1 and 65535, inclusive")),
        Case(
            "invalid-probe-on-init-container.yaml",
            .reject("spec.initContainers[0].readinessProbe: Forbidden: may not be set for init containers")),
        Case(
            "invalid-pull-policy.yaml",
            .reject(
                #"spec.containers[0].imagePullPolicy: Unsupported value: "Weekly": supported values: "Always", "IfNotPresent", "Never""#)),
        Case(
            "invalid-readiness-gate-empty.yaml",
            .reject(
                #"spec.readinessGates[0].conditionType: Invalid value: "": name part must be non-empty"#,
                #"spec.readinessGates[0].conditionType: Invalid value: "": "# + qualifiedNamePart
            )),
        Case(
            "invalid-readiness-gate-spaces.yaml",
            .reject(#"spec.readinessGates[0].conditionType: Invalid value: "InPlace UpdateReady": "# + qualifiedNamePart)),
        Case(
            "invalid-requests-over-limits.yaml",
            .reject(#"spec.containers[0].resources.requests: Invalid value: "512Mi": must be less than or equal to memory limit of 256Mi"#)),
        Case(
            "invalid-restart-policy.yaml",
            .reject(#"spec.restartPolicy: Unsupported value: "Occasionally": supported values: "Always", "OnFailure", "Never""#)),
        Case(
            "invalid-sidecar-restart-policy.yaml",
            .reject(#"spec.initContainers[0].restartPolicy: Unsupported value: "Never": supported values: "Always""#)),
        Case("invalid-volume-mount-undefined.yaml", .reject(#"spec.containers[0].volumeMounts[0].name: Not found: "site-content""#)),

        // JSON syntax: `.json` is strict JSON (encoding/json's wording), never YAML.
        Case("json-comment.json", .reject("json: line 2: invalid character '/' looking for beginning of object key string")),
        Case("json-duplicate-key.json", .reject(#"json: line 6: duplicate key "name" in object, first defined at line 5 (metadata.name)"#)),
        Case("json-single-quotes.json", .reject(#"json: line 2: invalid character '\'' looking for beginning of object key string"#)),
        Case("json-trailing-comma.json", .reject("json: line 12: invalid character '}' looking for beginning of object key string")),
        Case("json-truncated.json", .reject("json: line 6: unexpected end of JSON input")),
        Case("json-two-objects.json", .reject("json: line 2: invalid character '{' after top-level value")),
        Case("json-valid.json", .accept("queues/json-valid")),
        Case("json-yaml-content.json", .reject("json: line 1: invalid character 'a' looking for beginning of value")),

        // Type meta.
        Case(
            "kind-missing.yaml",
            .reject(
                #"Object 'Kind' is missing in '{"apiVersion":"v1","metadata":{"name":"kindless"},"spec":{"containers":[{"image":"alpine:3.20","name":"app"}]}}'"#
            )),
        Case(
            "kind-not-a-string.yaml",
            .reject("couldn't get version/kind; json parse error: json: cannot unmarshal array into Go struct field .kind of type string")),
        Case(
            "kind-replicaset.yaml",
            .reject(
                #"kind: Unsupported value: "ReplicaSet": supported values: "Pod""#,
                #"apiVersion: Unsupported value: "apps/v1": supported values: "v1""#
            )),

        // Good and bad documents in one file.
        Case(
            "mixed-configmap-then-pod.yaml",
            .mixed(
                ["default/site"],
                errors: [
                    Line(0, #"kind: Unsupported value: "ConfigMap": supported values: "Pod""#)
                ])),
        Case("mixed-empty-documents-between.yaml", .accept("default/between-one", "default/between-two")),
        Case(
            "mixed-good-bad-good.yaml",
            .mixed(
                ["default/mixed-first", "default/mixed-third"],
                errors: [
                    Line(1, "spec.containers[0].image: Required value")
                ])),

        // Wrong JSON types (Go's UnmarshalTypeError wording) and bad quantities.
        Case(
            "type-bad-quantity.yaml",
            .reject(
                #"spec.containers[0].resources.limits[memory]: Invalid value: "2 gigabytes": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"#
            )),
        Case(
            "type-command-string.yaml",
            .reject("json: cannot unmarshal string into Go struct field Container.spec.containers.command of type []string")),
        Case(
            "type-container-port-string.yaml",
            .reject("json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32")),
        Case(
            "type-containers-string.yaml",
            .reject("json: cannot unmarshal string into Go struct field PodSpec.spec.containers of type []v1.Container")),
        Case(
            "type-env-value-number.yaml",
            .reject("json: cannot unmarshal number into Go struct field EnvVar.spec.containers.env.value of type string")),
        Case(
            "type-hostnetwork-quoted.yaml",
            .reject("json: cannot unmarshal string into Go struct field PodSpec.spec.hostNetwork of type bool")),
        Case(
            "type-labels-list.yaml",
            .reject("json: cannot unmarshal array into Go struct field ObjectMeta.metadata.labels of type map[string]string")),
        Case(
            "type-port-overflow.yaml",
            .reject(
                "json: cannot unmarshal number 4294967296 into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32"
            )),

        // YAML syntax and structure (go-yaml's wording, 1-based lines).
        Case("yaml-alias-bomb.yaml", .reject("yaml: line 8: document contains excessive aliasing: it expands to more than 100000 nodes")),
        Case(
            "yaml-alias-complex-key.yaml", .reject("yaml: aliases used together with complex (non-scalar) mapping keys are not supported")),
        Case("yaml-bad-indent.yaml", .reject("yaml: line 10: mapping values are not allowed in this context")),
        Case(
            "yaml-duplicate-key-quoted.yaml", .reject(#"yaml: line 8: mapping key "tier" already defined at line 7 (metadata.labels.tier)"#)
        ),
        Case(
            "yaml-duplicate-key.yaml", .reject(#"yaml: line 13: mapping key "image" already defined at line 10 (spec.containers[0].image)"#)
        ),
        Case("yaml-invalid-utf8.yaml", .rejectFile("yaml: line 7: invalid trailing UTF-8 octet (0xe9 at byte 144)")),
        Case("yaml-nan-number.yaml", .reject("yaml: line 7: json: unsupported value: NaN (at spec.terminationGracePeriodSeconds)")),
        Case("yaml-null-key.yaml", .reject("yaml: line 7: invalid map key at metadata.annotations: JSON cannot carry a null key")),
        Case("yaml-plain-text.yaml", .reject(#"Object 'Kind' is missing in '"Remember to bump the cart image before Friday"'"#)),
        Case(
            "yaml-second-document-broken.yaml",
            .mixed(
                ["default/before-the-break"],
                errors: [
                    Line(1, "yaml: line 17: did not find expected ',' or '}'")
                ])),
        Case(
            "yaml-sequence-as-key.yaml",
            .reject("yaml: line 7: invalid map key at metadata.labels: a mapping key must be a scalar, not a sequence")),
        Case("yaml-tab-indent.yaml", .reject("yaml: line 5: found character that cannot start any token")),
        Case("yaml-top-level-list.yaml", .reject(#"Object 'Kind' is missing in '[{"apiVersion":"v1","kind":"Pod"}]'"#)),
        Case("yaml-unclosed-flow-sequence.yaml", .reject("yaml: line 11: did not find expected ',' or ']'")),
        Case("yaml-unclosed-quote.yaml", .reject("yaml: line 10: found unexpected end of stream")),
        Case("yaml-undefined-alias.yaml", .reject("yaml: line 10: found undefined alias")),
    ]

    static func path(_ file: String) -> String { Fixtures.edge + "/" + file }

    /// `outcome`'s lines with `<edge>` replaced by the fixture directory.
    static func resolved(_ lines: [Line]) -> [Line] {
        lines.map { Line($0.document, $0.message.replacingOccurrences(of: "<edge>", with: Fixtures.edge)) }
    }

    static func load(_ file: String) -> ManifestLoadResult { ManifestLoader.load(file: path(file)) }

    @Test func everyFileHasExactlyOneCase() {
        let files = Fixtures.entries(in: Fixtures.edge)
        #expect(files.count >= 90, "found \(files.count) files under \(Fixtures.edge)")
        #expect(files == Self.cases.map(\.file).sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
        #expect(files.allSatisfy(ManifestLoader.isManifestName))
    }

    @Test(arguments: cases)
    func fileGivesExactlyTheExpectedOutcome(_ c: Case) {
        let r = Self.load(c.file)
        #expect(r.pods.map(\.key) == c.outcome.pods)
        #expect(r.errors.map { Line($0.document, $0.message) } == Self.resolved(c.outcome.errors))
        #expect(r.warnings.map { Line($0.document, $0.message) } == Self.resolved(c.outcome.warnings))
        #expect(r.errors.allSatisfy { $0.file == Self.path(c.file) })
        // An admitted pod is valid as it stands, and carries its document's warnings.
        for admitted in r.pods {
            #expect(PodValidation.validate(admitted.pod).isEmpty)
            #expect(admitted.warnings == r.warnings.filter { $0.document == admitted.document }.map(\.message))
        }
    }

    /// The whole directory: every file's own outcome, plus one conflict between files (the later
    /// file in name order loses default/shared-name); one bad file never stops the others.
    @Test func directoryLoad() {
        let r = ManifestLoader.loadDirectory(Fixtures.edge)
        let sorted = Self.cases.sorted { Array($0.file.utf8).lexicographicallyPrecedes(Array($1.file.utf8)) }
        let loser = "conflict-across-files-b.yaml"
        var pods: [String] = []
        var errors: [Line] = []
        var warnings: [Line] = []
        for c in sorted {
            if c.file != loser { pods += c.outcome.pods }
            errors += Self.resolved(c.outcome.errors)
            warnings += Self.resolved(c.outcome.warnings)
        }
        errors += Self.resolved([Line(0, Self.duplicatePod("default/shared-name", in: "conflict-across-files-a.yaml", document: 0))])
        #expect(r.pods.map(\.key) == pods)
        #expect(Set(r.pods.map(\.key)).count == r.pods.count)
        #expect(r.errors.map { Line($0.document, $0.message) } == errors)
        #expect(r.warnings.map { Line($0.document, $0.message) } == warnings)
        #expect(r.skipped.isEmpty)
        #expect(r.files.count == Self.cases.count)
        let conflict = r.errors.last
        #expect(conflict?.file == Self.path(loser))
        #expect(r.pods.first { $0.key == "default/shared-name" }?.file == Self.path("conflict-across-files-a.yaml"))
    }

    /// The encoding fixtures still hold the bytes they are about (no editor or eol conversion
    /// has normalised them).
    @Test func bytesAreAsWritten() throws {
        func bytes(_ file: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.path(file)))) }
        let crlf = try bytes("accept-crlf-line-endings.yaml")
        #expect(crlf.filter { $0 == 0x0A }.count > 5)
        #expect(zip(crlf, crlf.dropFirst()).filter { $0 == (0x0D, 0x0A) }.count == crlf.filter { $0 == 0x0A }.count)
        #expect(try bytes("accept-utf8-bom.yaml").prefix(3) == [0xEF, 0xBB, 0xBF])
        #expect(try bytes("accept-utf16.yaml").prefix(4) == [0xFF, 0xFE, UInt8(ascii: "#"), 0x00])
        #expect(try bytes("yaml-invalid-utf8.yaml").contains(0xE9))
        #expect(try bytes("empty-zero-bytes.yaml").isEmpty)
        #expect(try bytes("yaml-tab-indent.yaml").contains(0x09))
    }

    // MARK: What the admitted pods hold

    static func pod(_ file: String, document: Int = 0) throws -> Pod {
        try #require(load(file).pods.first { $0.document == document }?.pod, "no pod from document \(document) of \(file)")
    }

    @Test func unknownFieldsAreDropped() throws {
        let p = try Self.pod("accept-unknown-fields.yaml")
        #expect(p.metadata.annotations == nil)
        #expect(p.spec.other["restartPolicyy"] == nil)
        #expect(p.spec.restartPolicy == "Always")
        #expect(p.spec.containers[0].other["imagePolicy"] == nil)
        #expect(p.spec.containers[0].imagePullPolicy == "IfNotPresent")
    }

    @Test func threeHundredContainersKeepTheirOrder() throws {
        let p = try Self.pod("accept-300-containers.yaml")
        #expect(p.spec.containers.count == 300)
        #expect(p.spec.containers.map(\.name) == (1...300).map { "c" + String(format: "%03d", $0) })
        #expect(p.spec.containers.allSatisfy { $0.image == "alpine:3.20" && $0.imagePullPolicy == "IfNotPresent" })
        #expect(p.spec.containers.last?.command == ["sleep", "3900"])
    }

    @Test func threeHundredContainersLoadFast() {
        let start = Date()
        for _ in 0..<5 { _ = Self.load("accept-300-containers.yaml") }
        #expect(Date().timeIntervalSince(start) < 10)
    }

    @Test func imagesDecideThePullPolicy() throws {
        let digest = try Self.pod("accept-image-digest.yml").spec.containers[0]
        #expect(digest.imagePullPolicy == "IfNotPresent")
        let digestRef = try ImageReference.parse(digest.image ?? "")
        #expect(digestRef.tag == nil && digestRef.effectiveTag == nil)
        #expect(digestRef.digest == "sha256:0a4eaa0eecf5f8c050e5bba433f58c052be7587ee8af3e8b3910ef9ab5fbe9f5")

        let port = try Self.pod("accept-image-registry-port.yaml").spec.containers[0]
        #expect(port.imagePullPolicy == "IfNotPresent")
        let portRef = try ImageReference.parse(port.image ?? "")
        #expect((portRef.registry, portRef.repository, portRef.tag) == ("registry.internal:5000", "tools/exporter", "3.2"))

        let untagged = try Self.pod("accept-image-untagged.yaml").spec.containers[0]
        #expect(untagged.imagePullPolicy == "Always")
        #expect(try ImageReference.parse(untagged.image ?? "").normalized == "docker.io/library/redis:latest")
        #expect(try Self.pod("accept-image-latest.YAML").spec.containers[0].imagePullPolicy == "Always")
    }

    @Test func generatedNameIsStable() throws {
        let p = try Self.pod("accept-generate-name.yaml")
        #expect(p.metadata.generateName == "report-")
        #expect(p.metadata.name == ManifestLoader.generatedName(prefix: "report-", fileName: "accept-generate-name.yaml", document: 0))
        // The same suffix from any directory: only the file's base name counts.
        #expect(
            ManifestLoader.generatedName(prefix: "report-", fileName: "/elsewhere/accept-generate-name.yaml", document: 0) == "report-c4s8z"
        )
    }

    @Test func defaultsAndDroppedStatus() throws {
        let omitted = try Self.pod("accept-no-namespace.yaml")
        #expect(omitted.metadata.namespace == "default")
        #expect(omitted.spec.restartPolicy == "Always")
        #expect(omitted.spec.terminationGracePeriodSeconds == 30)
        #expect(omitted.spec.other["dnsPolicy"] == .string("ClusterFirst"))

        let dumped = try Self.pod("accept-status-dropped.yaml")
        #expect(dumped.status == nil)

        let nulls = try Self.pod("accept-null-fields.yaml")
        #expect(nulls.metadata.labels == nil && nulls.metadata.annotations == nil)
        #expect(nulls.spec.other["nodeSelector"] == nil)
        #expect(nulls.spec.containers[0].other["env"] == nil)
    }

    @Test func readinessGateForInPlaceUpdates() throws {
        let p = try Self.pod("accept-readiness-gate-inplace.yaml")
        #expect(p.spec.readinessGates == [PodReadinessGate(conditionType: WellKnown.inPlaceUpdateReady)])
    }

    @Test func encodingsAndLineEndings() throws {
        #expect(try Self.pod("accept-utf8-bom.yaml").metadata.name == "with-bom")
        #expect(try Self.pod("accept-utf16.yaml").spec.containers[0].image == "memcached:1.6")
        let crlf = try Self.pod("accept-crlf-line-endings.yaml")
        #expect(crlf.metadata.name == "crlf-endings")
        #expect(crlf.spec.containers[0].args == ["-m", "64"])
        #expect(crlf.spec.containers[0].image == "memcached:1.6")
    }

    @Test func anchorsAliasesAndMergeKeys() throws {
        let anchored = try Self.pod("accept-yaml-anchors.yaml").spec.containers
        #expect(anchored.map(\.name) == ["reader", "writer"])
        #expect(anchored[0].other["env"] == anchored[1].other["env"])
        #expect(anchored[0].other["env"]?.arrayValue?.count == 2)
        #expect(anchored[0].readinessProbe == anchored[1].readinessProbe)
        #expect(anchored[1].readinessProbe?.handler == .httpGet(.init(path: "/ready", port: .number(8080))))

        let merged = try Self.pod("accept-yaml-merge-key.yaml").spec.containers
        #expect(merged.map(\.name) == ["fast", "slow"])
        #expect(merged.map(\.image) == ["ghcr.io/acme/worker:0.9", "ghcr.io/acme/worker:0.9"])
        #expect(merged.map(\.args) == [["--lane", "fast"], ["--lane", "slow"]])
        #expect(merged.allSatisfy { $0.imagePullPolicy == "IfNotPresent" })
    }

    @Test func yamlOneOneBooleans() throws {
        let p = try Self.pod("accept-yaml-1-1-booleans.yaml")
        #expect(p.spec.hostNetwork == true)
        #expect(p.spec.other["enableServiceLinks"] == .bool(false))
        #expect(p.spec.containers[0].other["stdin"] == .bool(true))
    }

    @Test func sameNameInOtherNamespacesAndSharedUIDsAreNotConflicts() throws {
        let r = Self.load("conflict-other-namespace.yaml")
        #expect(r.pods.map(\.pod.metadata.name) == ["same-name", "same-name"])
        #expect(r.pods.map(\.document) == [0, 1])
        let uids = Self.load("conflict-shared-uid.yaml").pods.map(\.pod.metadata.uid)
        #expect(uids == ["7b0c6a52-1f3e-4d2a-8c9b-5e4f3a2b1c0d", "7b0c6a52-1f3e-4d2a-8c9b-5e4f3a2b1c0d"])
    }

    @Test func firstDefinitionKeepsThePod() throws {
        let r = Self.load("conflict-same-name-in-file.yaml")
        #expect(r.pods.first?.pod.spec.containers[0].image == "nginx:1.27")
        let implicit = Self.load("conflict-implicit-default-namespace.yaml")
        #expect(implicit.pods.map(\.document) == [0])
        #expect(implicit.pods.first?.pod.spec.containers[0].image == "nginx:1.27")
    }

    @Test func documentIndicesCountEmptyDocuments() {
        #expect(Self.load("mixed-empty-documents-between.yaml").pods.map(\.document) == [1, 3])
        #expect(Self.load("mixed-configmap-then-pod.yaml").pods.map(\.document) == [1])
        #expect(Self.load("mixed-good-bad-good.yaml").pods.map(\.document) == [0, 2])
    }
}

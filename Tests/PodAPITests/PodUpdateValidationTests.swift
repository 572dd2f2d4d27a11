import Testing

@testable import PodAPI

@Suite struct PodUpdateValidationTests {
    static let base = """
        apiVersion: v1
        kind: Pod
        metadata: {name: web, labels: {app: web}}
        spec:
          activeDeadlineSeconds: 600
          tolerations:
          - {key: a, operator: Exists, effect: NoExecute, tolerationSeconds: 10}
          schedulingGates: [{name: g1}, {name: g2}]
          initContainers:
          - {name: init, image: "busybox:1.35"}
          containers:
          - {name: app, image: "nginx:1.25"}
          - {name: sidecar, image: "envoy:1.0"}
        """

    func pod(_ edit: (String) -> String = { $0 }) throws -> Pod {
        try #require(defaultedPod(edit(Self.base)))
    }

    func messages(_ edit: (String) -> String) throws -> [String] {
        PodUpdateValidation.messages(old: try pod(), new: try pod(edit))
    }

    @Test func imageChangesAreInPlace() throws {
        let new = try pod {
            $0.replacingOccurrences(of: "nginx:1.25", with: "nginx:1.26").replacingOccurrences(of: "busybox:1.35", with: "busybox:1.36")
        }
        let old = try pod()
        #expect(PodUpdateValidation.validate(old: old, new: new).isEmpty)
        let c = PodUpdateClassification.classify(old: old, new: new)
        #expect(c.kind == .inPlace)
        #expect(c.isInPlace)
        #expect(c.changedImages == ["app"])
        #expect(c.changedInitImages == ["init"])
        #expect(!c.activeDeadlineChanged)
    }

    @Test func unchangedAndMetadataOnly() throws {
        #expect(PodUpdateClassification.classify(old: try pod(), new: try pod()).kind == .unchanged)
        let relabelled = try pod { $0.replacingOccurrences(of: "app: web", with: "app: web2") }
        let c = PodUpdateClassification.classify(old: try pod(), new: relabelled)
        #expect(c.kind == .metadataOnly)
        #expect(c.changedImages.isEmpty)
    }

    @Test func addingOrRemovingContainersIsForbidden() throws {
        let e = try messages { $0.replacingOccurrences(of: "\n  - {name: sidecar, image: \"envoy:1.0\"}", with: "") }
        #expect(e == ["spec.containers: Forbidden: pod updates may not add or remove containers"])
        let i = try messages { $0.replacingOccurrences(of: "  initContainers:\n  - {name: init, image: \"busybox:1.35\"}\n", with: "") }
        #expect(i == ["spec.initContainers: Forbidden: pod updates may not add or remove containers"])
    }

    @Test func activeDeadlineRules() throws {
        #expect(try messages { $0.replacingOccurrences(of: "600", with: "300") }.isEmpty)
        #expect(
            try messages { $0.replacingOccurrences(of: "600", with: "900") } == [
                "spec.activeDeadlineSeconds: Invalid value: 900: must be less than or equal to previous value"
            ])
        #expect(
            try messages { $0.replacingOccurrences(of: "  activeDeadlineSeconds: 600\n", with: "") } == [
                "spec.activeDeadlineSeconds: Invalid value: \"null\": must not update from a positive integer to nil value"
            ])
        // nil -> positive is allowed.
        let noDeadline = try pod { $0.replacingOccurrences(of: "  activeDeadlineSeconds: 600\n", with: "") }
        #expect(PodUpdateValidation.validate(old: noDeadline, new: try pod()).isEmpty)
        #expect(PodUpdateClassification.classify(old: noDeadline, new: try pod()).activeDeadlineChanged)
    }

    @Test func tolerationsMayOnlyBeAdded() throws {
        let added = try messages {
            $0.replacingOccurrences(of: "  schedulingGates:", with: "  - {key: b, operator: Exists}\n  schedulingGates:")
        }
        #expect(added.isEmpty)
        #expect(try messages { $0.replacingOccurrences(of: "tolerationSeconds: 10", with: "tolerationSeconds: 20") }.isEmpty)
        #expect(
            try messages { $0.replacingOccurrences(of: "{key: a,", with: "{key: z,") } == [
                "spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds"
            ])
    }

    @Test func schedulingGatesMayOnlyBeRemoved() throws {
        #expect(try messages { $0.replacingOccurrences(of: "[{name: g1}, {name: g2}]", with: "[{name: g2}]") }.isEmpty)
        #expect(
            try messages { $0.replacingOccurrences(of: "[{name: g1}, {name: g2}]", with: "[{name: g1}, {name: g3}]") } == [
                "spec.schedulingGates[1].name: Forbidden: only deletion is allowed, but found new scheduling gate 'g3'"
            ])
    }

    @Test func otherChangesAreForbiddenWithADiff() throws {
        let new = try pod {
            $0.replacingOccurrences(of: "{name: app, image: \"nginx:1.25\"}", with: "{name: app, image: \"nginx:1.26\", command: [run]}")
        }
        let e = PodUpdateValidation.messages(old: try pod(), new: new)
        #expect(e.count == 1)
        let message = try #require(e.first)
        #expect(
            message.hasPrefix(
                "spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n"
            ))
        #expect(message.hasSuffix("\n  spec.containers[0].command: <absent> -> [\"run\"]"))
        // The image change is allowed, so it is not in the diff.
        #expect(!message.contains("nginx"))
        let c = PodUpdateClassification.classify(old: try pod(), new: new)
        #expect(c.kind == .recreate)
        #expect(!c.isInPlace)
        #expect(c.changedImages == ["app"])
    }

    @Test func negativeGracePeriodMayBecomeOne() throws {
        let negative = try pod { $0.replacingOccurrences(of: "spec:\n", with: "spec:\n  terminationGracePeriodSeconds: -1\n") }
        let one = try pod { $0.replacingOccurrences(of: "spec:\n", with: "spec:\n  terminationGracePeriodSeconds: 1\n") }
        let two = try pod { $0.replacingOccurrences(of: "spec:\n", with: "spec:\n  terminationGracePeriodSeconds: 2\n") }
        #expect(PodUpdateValidation.validate(old: negative, new: one).isEmpty)
        #expect(
            PodUpdateValidation.messages(old: negative, new: two).first?.contains("spec.terminationGracePeriodSeconds: -1 -> 2") == true)
    }

    @Test func identityIsImmutableAndNewImagesAreChecked() throws {
        let renamed = try pod { $0.replacingOccurrences(of: "name: web,", with: "name: web2,") }
        #expect(
            PodUpdateValidation.messages(old: try pod(), new: renamed).contains(
                "metadata.name: Invalid value: \"web2\": field is immutable"))
        let empty = try pod { $0.replacingOccurrences(of: "\"nginx:1.25\"", with: "\"\"") }
        let e = PodUpdateValidation.messages(old: try pod(), new: empty)
        #expect(e.filter { $0 == "spec.containers[0].image: Required value" }.count == 2)
    }

    @Test func diffIsShortForLargeChanges() throws {
        func withSelector(_ value: String) throws -> Pod {
            try #require(
                defaultedPod(Self.base + "\n  nodeSelector: {" + (0..<40).map { "k\($0): \(value)" }.joined(separator: ", ") + "}\n"))
        }
        let message = try #require(PodUpdateValidation.messages(old: try withSelector("v"), new: try withSelector("w")).first)
        let lines = message.split(separator: "\n")
        #expect(lines.count == 1 + 20 + 1)
        #expect(lines[1] == "  spec.nodeSelector.k0: \"v\" -> \"w\"")
        #expect(lines.last == "  ... and 20 more")
    }
}

import Foundation
import Testing

@testable import PodAPI

/// The optional corpus tier (see `Corpus`): every file of the third-party public corpus
/// (`corpus/public` of the shared directory beside the clone, or of `$INPLACED_SHARED_DIR`) is a
/// real, valid Kubernetes Pod manifest. The repository's own valid pods are PodFixtureTests; this
/// suite runs only when the corpus is there and is skipped otherwise (CorpusPresenceTests fails
/// instead under INPLACED_REQUIRE_CORPUS=1).
@Suite(
    .enabled(if: Corpus.isPresent, "the optional public corpus is not there (set INPLACED_SHARED_DIR, or keep shared/ beside the clone)"))
struct PublicCorpusTests {
    static let files = Corpus.manifestNames(in: Corpus.publicDirectory)

    @Test func corpusIsPresent() {
        #expect(Self.files.count >= 30, "found \(Self.files.count) files under \(Corpus.publicDirectory)")
    }

    @Test(arguments: files)
    func loadsWithoutWarningsOrErrors(_ name: String) throws {
        let result = ManifestLoader.load(file: Corpus.publicDirectory + "/" + name)
        #expect(result.errors.isEmpty, "\(result.errors)")
        #expect(result.warnings.isEmpty, "\(result.warnings)")
        #expect(!result.pods.isEmpty)
        for admitted in result.pods {
            #expect(admitted.warnings.isEmpty)
            #expect(admitted.pod.apiVersion == "v1" && admitted.pod.kind == "Pod")
            #expect(!(admitted.pod.metadata.name ?? "").isEmpty)
            #expect(admitted.pod.metadata.namespace != nil)
            #expect(!admitted.pod.spec.containers.isEmpty)
            for c in admitted.pod.spec.containers + (admitted.pod.spec.initContainers ?? []) {
                #expect(["Always", "IfNotPresent", "Never"].contains(c.imagePullPolicy ?? ""))
                #expect(c.terminationMessagePolicy != nil)
            }
        }
    }

    @Test func multiDocumentFilesYieldEveryPod() {
        let good = ManifestLoader.load(
            file: Corpus.publicDirectory + "/policies-best-practices-require-probes-.chainsaw-test-good-pods.yaml")
        #expect(good.pods.map(\.pod.metadata.name) == ["goodpod01", "goodpod02", "goodpod03"])
        // Nine documents, the last one empty (a trailing `---`): eight pods, no warning.
        let bad = ManifestLoader.load(
            file: Corpus.publicDirectory + "/policies-pod-security-baseline-disallow-host-namespaces-.chainsaw-test-pod-bad.yaml")
        #expect(bad.pods.count == 8)
        #expect(bad.pods.map(\.document) == Array(0..<8))
    }

    @Test func flowStyleYAMLWithTrailingCommasLoads() throws {
        // website-pods-commands.yaml is YAML flow style with trailing commas: valid YAML.
        let r = ManifestLoader.load(file: Corpus.publicDirectory + "/website-pods-commands.yaml")
        let pod = try #require(r.pods.first?.pod)
        #expect(pod.metadata.name == "command-demo")
        #expect(pod.spec.containers.first?.command == ["printenv"])
        #expect(pod.spec.containers.first?.args == ["HOSTNAME", "KUBERNETES_PORT"])
        #expect(pod.spec.restartPolicy == "OnFailure")
    }

    @Test func directoryLoadSettlesTheCorpusOwnNameConflicts() {
        // Three pairs of files in the corpus define the same default/<name>; the first file in
        // name order keeps each pod, the later one gets an error naming both files.
        let r = ManifestLoader.loadDirectory(Corpus.publicDirectory)
        #expect(Set(r.pods.map(\.key)).count == r.pods.count)
        #expect(r.errors.count == 3)
        let simple = r.errors.first { $0.file.hasSuffix("website-pods-simple-pod.yaml") }
        #expect(simple?.message.contains("examples-_archived-podsecuritypolicy-rbac-pod_priv.yaml") == true)
        #expect(simple?.message.hasPrefix("metadata.name: Duplicate value: \"default/nginx\"") == true)
        #expect(r.skipped == ["SOURCES.md"])
    }
}

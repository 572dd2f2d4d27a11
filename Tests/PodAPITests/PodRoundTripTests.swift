import Foundation
import Testing

@testable import PodAPI

/// A Pod's JSON, as the agent stores it (sorted keys), decodes to the same Pod, and encodes again
/// to the same bytes. The agent relies on it: the pod it has just stored serves as the decode of
/// its stored JSON (`DecodedPods.remember`), and the sandbox's spec hash is a JSON encoding of
/// the spec, which must be the same for that pod and for the one a restarted agent decodes.
/// Also: `Pod` keeps its fields in a copy-on-write box, so copies are independent values.
@Suite struct PodRoundTripTests {
    static func json(_ pod: Pod) throws -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return String(decoding: try e.encode(pod), as: UTF8.self)
    }

    /// Each pod of `result`, as the agent records it: a UID, and a creation time in whole seconds.
    static func recorded(_ result: ManifestLoadResult) -> [Pod] {
        result.pods.map { admitted in
            var pod = admitted.pod
            pod.metadata.uid = "0b6c9a8e-5d4f-4c2a-9e1b-7f3a2d1c0e9f"
            pod.metadata.creationTimestamp = Time(Date(timeIntervalSince1970: 1_796_000_000))
            return pod
        }
    }

    static func expectRoundTrip(_ pods: [Pod], _ file: String) throws {
        for pod in pods {
            let text = try json(pod)
            let back = try JSONDecoder().decode(Pod.self, from: Data(text.utf8))
            #expect(back == pod, "\(file): \(pod.key) decodes to a different pod")
            #expect(try json(back) == text, "\(file): \(pod.key) encodes differently after a round trip")
            #expect(back.hashValue == pod.hashValue, "\(file): \(pod.key)")
        }
    }

    @Test(arguments: Fixtures.entries(in: Fixtures.pods))
    func fixturePodSurvivesItsJSON(_ file: String) throws {
        let result = ManifestLoader.load(file: Fixtures.pods + "/" + file)
        #expect(!result.pods.isEmpty, "\(file) holds no pod")
        try Self.expectRoundTrip(Self.recorded(result), file)
    }

    /// The public corpus too, when the optional corpus tier is there (see `Corpus`).
    @Test(.enabled(if: Corpus.isPresent, "the optional corpus is not there"))
    func corpusPodsSurviveTheirJSON() throws {
        var pods = 0
        for name in Corpus.manifestNames(in: Corpus.publicDirectory) {
            let result = ManifestLoader.load(file: Corpus.publicDirectory + "/" + name)
            pods += result.pods.count
            try Self.expectRoundTrip(Self.recorded(result), name)
        }
        #expect(pods > 0)
    }

    /// A creation time with a fraction of a second does not survive: the API writes seconds.
    /// This is why the agent records whole seconds.
    @Test func fractionalCreationTimeIsCutToSeconds() throws {
        var pod = try #require(defaultedPod(podYAML()))
        pod.metadata.creationTimestamp = Time(Date(timeIntervalSince1970: 1_796_000_000.25))
        let back = try JSONDecoder().decode(Pod.self, from: Data(try Self.json(pod).utf8))
        #expect(back != pod)
        #expect(back.metadata.creationTimestamp == Time(Date(timeIntervalSince1970: 1_796_000_000)))
    }

    @Test func copiesAreIndependent() throws {
        let original = try #require(defaultedPod(podYAML(image: "nginx:1.25")))
        var copy = original
        #expect(copy == original)
        copy.spec.containers[0].image = "nginx:1.26"
        copy.metadata.labels = ["app": "web"]
        copy.status = PodStatus(phase: "Running")
        #expect(original.spec.containers[0].image == "nginx:1.25")
        #expect(original.metadata.labels == nil)
        #expect(original.status == nil)
        #expect(copy.spec.containers[0].image == "nginx:1.26")
        #expect(copy != original)
        var again = copy
        again.spec.containers[0].image = "nginx:1.25"
        again.metadata.labels = nil
        again.status = nil
        #expect(again == original, "equal fields make equal pods, whatever box holds them")
        #expect(again.hashValue == original.hashValue)
        #expect(Set([again, original]).count == 1)
    }

    /// The JSON shape is the unboxed struct's: the five fields by their API names, `status` left
    /// out when nil, `apiVersion`, `kind`, `metadata` and `spec` required.
    @Test func jsonShape() throws {
        let pod = try #require(defaultedPod(podYAML(name: "web")))
        let object = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(pod)) as? [String: Any])
        #expect(Set(object.keys) == ["apiVersion", "kind", "metadata", "spec"])
        for missing in ["apiVersion", "kind", "metadata", "spec"] {
            var o = object
            o[missing] = nil
            let data = try JSONSerialization.data(withJSONObject: o)
            #expect(throws: DecodingError.self, "without \(missing)") { try JSONDecoder().decode(Pod.self, from: data) }
        }
    }

    /// Found by a helper: a time with a fraction decoded to an instant its own encoding dropped
    /// (the remembered pod then differed from the stored one), and an offset that took year 0000
    /// below year 0 encoded to a year no parser reads back, losing days at every round trip.
    @Test func timesSurviveTheirJSON() throws {
        for stamp in [
            "2026-01-01T00:00:00.5Z", "2026-01-01T00:00:00.999999999Z", "2026-01-01T05:45:00.25+05:45", "9999-12-31T23:59:59.5Z",
            "1969-12-31T23:59:59.5Z", "0000-01-01T00:00:00Z",
        ] {
            let text = podYAML(spec: "") + "metadata_placeholder"
            let yaml = text.replacingOccurrences(of: "metadata_placeholder", with: "").replacingOccurrences(
                of: "  name: web\n", with: "  name: web\n  deletionTimestamp: \"\(stamp)\"\n")
            let result = load(yaml)
            #expect(result.errors.isEmpty, "\(stamp): \(result.errors)")
            try Self.expectRoundTrip(Self.recorded(result), stamp)
        }
        #expect(
            throws: DecodingError.self,
            "an instant before year 0 in UTC cannot be written"
        ) { try JSONDecoder().decode(Time.self, from: Data(#""0000-01-01T00:00:00+01:00""#.utf8)) }
        let rejected = load(
            podYAML().replacingOccurrences(of: "  name: web\n", with: "  name: web\n  deletionTimestamp: \"0000-01-01T00:30:00+01:00\"\n"))
        #expect(rejected.pods.isEmpty)
        #expect(rejected.errors.contains { $0.message.contains("deletionTimestamp") }, "\(rejected.errors)")
    }
}

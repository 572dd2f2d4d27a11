import Foundation
import PodAPI
import Testing

@testable import NodeAgent

/// ``DecodedPods``: a pod the agent stored is remembered as the decode of its JSON, and what a
/// sync then gets (the pod, and the sandbox spec hash it labels sandboxes with) is what a
/// restarted agent, which decodes that JSON, gets too; another version of the JSON is decoded.
struct DecodedPodsTests {
    /// The repository's valid fixture pods (PodAPITests' `Fixtures/pods`).
    static let podsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("PodAPITests/Fixtures/pods").path

    static var files: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: podsDirectory)) ?? []).filter(ManifestLoader.isManifestName).sorted()
    }

    /// Each pod of `file` as the agent records it (a UID; the creation time in whole seconds).
    static func recorded(_ file: String) -> [Pod] {
        ManifestLoader.load(file: podsDirectory + "/" + file).pods.enumerated().map { i, admitted in
            var pod = admitted.pod
            pod.metadata.uid = "uid-\(i)"
            pod.metadata.creationTimestamp = Time(Date(timeIntervalSince1970: 1_796_000_000))
            return pod
        }
    }

    @Test func theFixturesAreThere() {
        #expect(Self.files.count >= 30, "found \(Self.files.count) under \(Self.podsDirectory)")
    }

    @Test(arguments: files)
    func rememberedPodIsWhatARestartedAgentDecodes(_ file: String) throws {
        let pods = Self.recorded(file)
        #expect(!pods.isEmpty)
        for pod in pods {
            let uid = pod.metadata.uid ?? ""
            let json = NodeAgent.json(pod)
            let remembered = DecodedPods()
            remembered.remember(uid: uid, json: json, pod: pod)
            let seen = try remembered.pod(uid: uid, json: json)
            let decoded = try DecodedPods().pod(uid: uid, json: json)
            #expect(seen.pod == decoded.pod, "\(file): \(pod.key)")
            #expect(seen.specHash == decoded.specHash, "\(file): \(pod.key): the sandbox would be made again after a restart")
            #expect(seen.specHash == RuntimeConfigs.podSpecHash(decoded.pod.spec))
        }
    }

    @Test func anotherVersionOfTheJSONIsDecoded() throws {
        var pod = try #require(Self.recorded("basic-single-container.yaml").first)
        let cache = DecodedPods()
        cache.remember(uid: "u", json: NodeAgent.json(pod), pod: pod)
        pod.spec.containers[0].image = "nginx:1.99"
        let edited = try cache.pod(uid: "u", json: NodeAgent.json(pod))
        #expect(edited.pod.spec.containers[0].image == "nginx:1.99")
        #expect(edited.specHash == RuntimeConfigs.podSpecHash(pod.spec))
    }

    @Test func aRememberedPodIsForgottenWithItsUID() throws {
        let pod = try #require(Self.recorded("basic-single-container.yaml").first)
        let cache = DecodedPods()
        cache.remember(uid: "u", json: "{}", pod: pod)
        #expect(try cache.pod(uid: "u", json: "{}").pod == pod, "the remembered pod stands for its JSON, unread")
        cache.remove("u")
        #expect(throws: DecodingError.self) { try cache.pod(uid: "u", json: "{}") }
    }
}

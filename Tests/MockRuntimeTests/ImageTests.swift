import ContainerRuntime
import Testing

@testable import MockRuntime

@Suite("Registry, pulls and node images")
struct ImageTests {
    @Test("a pull copies the image to the node and returns the image ID (config digest)")
    func pullCopiesToNode() async throws {
        let mock = MockRuntime()
        let manifest = try await mock.registry(add: "nginx:1.25", digest: digest("1"))
        #expect(manifest == digest("1"))
        #expect(try await mock.imageStatus("nginx:1.25") == nil)

        let imageID = try await mock.pullImage("nginx:1.25", sandboxConfig: nil)
        #expect(ImageName.isDigest(imageID))
        #expect(imageID != manifest)

        let image = try #require(try await mock.imageStatus("nginx:1.25"))
        #expect(image.id == imageID)
        #expect(image.repoTags == ["docker.io/library/nginx:1.25"])
        #expect(image.repoDigests == ["docker.io/library/nginx@" + digest("1")])
        #expect(image.size > 0)
        #expect(try await mock.imageStatus("docker.io/library/nginx:1.25") == image)
        #expect(try await mock.imageStatus(imageID) == image)
        #expect(try await mock.imageStatus("docker.io/library/nginx@" + digest("1")) == image)
        #expect(try await mock.listImages() == [image])
    }

    @Test("derived digests are deterministic per reference and differ between references")
    func derivedDigests() async throws {
        let first = try await MockRuntime().registry(add: "nginx:1.25")
        let again = try await MockRuntime().registry(add: "docker.io/library/nginx:1.25")
        let other = try await MockRuntime().registry(add: "nginx:1.26")
        #expect(first == again)
        #expect(first != other)
        #expect(ImageName.isDigest(first))
    }

    @Test("two tags sharing a digest are one image with one imageRef (B4/B5)")
    func sharedDigest() async throws {
        let mock = MockRuntime()
        try await mock.registry(add: "nginx:1.25", digest: digest("5"))
        try await mock.registry(add: "nginx:stable", digest: digest("5"))
        let idA = try await mock.pullImage("nginx:stable", sandboxConfig: nil)
        let idB = try await mock.pullImage("nginx:1.25", sandboxConfig: nil)
        #expect(idA == idB)

        let images = try await mock.listImages()
        #expect(images.count == 1)
        #expect(images[0].repoTags == ["docker.io/library/nginx:1.25", "docker.io/library/nginx:stable"])
        #expect(images[0].repoDigests == ["docker.io/library/nginx@" + digest("5")])

        let pod = podConfig()
        let sandbox = try await mock.runPodSandbox(pod)
        let a = try await mock.createContainer(sandboxID: sandbox, config: containerConfig("a", image: "nginx:stable"), sandboxConfig: pod)
        let b = try await mock.createContainer(sandboxID: sandbox, config: containerConfig("b", image: "nginx:1.25"), sandboxConfig: pod)
        let statusA = try await mock.containerStatus(id: a)
        let statusB = try await mock.containerStatus(id: b)
        #expect(statusA.imageRef == "docker.io/library/nginx@" + digest("5"))
        #expect(statusA.imageRef == statusB.imageRef)
        // containerd reports the image's first repo tag, not the one the spec named (B7).
        #expect(statusA.image == "docker.io/library/nginx:1.25")
    }

    @Test("the imageRef is the first repo digest as containerd sorts references, whatever the pull order")
    func imageRefIsFirstSortedRepoDigest() async throws {
        let mock = MockRuntime()
        try await mock.registry(add: "zeta.example/app:1", digest: digest("7"))
        try await mock.registry(add: "alpha.example/app:1", digest: digest("7"))
        _ = try await mock.pullImage("zeta.example/app:1", sandboxConfig: nil)
        let pod = podConfig()
        let sandbox = try await mock.runPodSandbox(pod)
        let id = try await mock.createContainer(
            sandboxID: sandbox, config: containerConfig(image: "zeta.example/app:1"), sandboxConfig: pod)
        #expect(try await mock.containerStatus(id: id).imageRef == "zeta.example/app@" + digest("7"))

        _ = try await mock.pullImage("alpha.example/app:1", sandboxConfig: nil)
        let status = try await mock.containerStatus(id: id)
        #expect(status.imageRef == "alpha.example/app@" + digest("7"))
        #expect(status.image == "alpha.example/app:1")
    }

    @Test("an unknown reference fails with containerd's wording")
    func pullNotFound() async throws {
        let mock = MockRuntime()
        let ref = "docker.io/library/x:y"
        await #expect(
            throws: RuntimeError.failed(
                call: "PullImage",
                detail: "failed to pull and unpack image \"\(ref)\": failed to resolve reference \"\(ref)\": \(ref): not found")
        ) {
            try await mock.pullImage("x:y", sandboxConfig: nil)
        }
        await #expect(
            throws: RuntimeError.failed(call: "PullImage", detail: "failed to parse image reference \"Bad:Ref\": invalid reference format")
        ) {
            try await mock.pullImage("Bad:Ref", sandboxConfig: nil)
        }
        #expect(try await mock.listImages().isEmpty)
    }

    @Test("a tag pushed again moves to the new image; the old image keeps its repo digest")
    func tagMoves() async throws {
        let mock = MockRuntime()
        try await mock.registry(add: "app:latest", digest: digest("1"))
        let oldID = try await mock.pullImage("app", sandboxConfig: nil)
        let pod = podConfig()
        let sandbox = try await mock.runPodSandbox(pod)
        let old = try await mock.createContainer(sandboxID: sandbox, config: containerConfig(image: oldID), sandboxConfig: pod)

        try await mock.registry(add: "app:latest", digest: digest("2"))
        let newID = try await mock.pullImage("app:latest", sandboxConfig: nil)
        #expect(newID != oldID)
        #expect(try await mock.imageStatus("app")?.id == newID)
        let oldImage = try #require(try await mock.imageStatus(oldID))
        #expect(oldImage.repoTags.isEmpty)
        #expect(oldImage.repoDigests == ["docker.io/library/app@" + digest("1")])

        let status = try await mock.containerStatus(id: old)
        #expect(status.imageRef == "docker.io/library/app@" + digest("1"))
        #expect(status.image == oldID)  // no tag left: containerd falls back to the config's image
    }

    @Test("a digest reference pulls the image registered under a tag of the same repository")
    func pullByDigest() async throws {
        let mock = MockRuntime()
        let manifest = try await mock.registry(add: "nginx:1.25")
        let byTag = try await MockRuntime().registry(add: "nginx:1.25")
        #expect(manifest == byTag)
        let id = try await mock.pullImage("nginx@" + manifest, sandboxConfig: nil)
        let image = try #require(try await mock.imageStatus(id))
        #expect(image.repoTags.isEmpty)
        #expect(image.repoDigests == ["docker.io/library/nginx@" + manifest])
        await #expect(throws: RuntimeError.self) {
            try await mock.pullImage("other@" + manifest, sandboxConfig: nil)
        }
    }

    @Test("a preloaded image is on the node without a registry entry and without a logged call")
    func preload() async throws {
        let mock = MockRuntime()
        let id = try await mock.preloadImage("registry.local/pause:3.9", digest: digest("9"))
        #expect(await mock.calls().isEmpty)
        #expect(try await mock.imageStatus("registry.local/pause:3.9")?.id == id)
        await #expect(throws: RuntimeError.self) { try await mock.pullImage("registry.local/pause:3.9", sandboxConfig: nil) }

        let pod = podConfig()
        let sandbox = try await mock.runPodSandbox(pod)
        let container = try await mock.createContainer(
            sandboxID: sandbox, config: containerConfig(image: "registry.local/pause:3.9"), sandboxConfig: pod)
        #expect(try await mock.containerStatus(id: container).imageRef == "registry.local/pause@" + digest("9"))
    }

    @Test("a preload of a registered reference uses the registry's digests")
    func preloadUsesRegistry() async throws {
        let mock = MockRuntime()
        try await mock.registry(add: "nginx:1.25", digest: digest("3"))
        let preloaded = try await mock.preloadImage("nginx:1.25")
        #expect(try await mock.pullImage("nginx:1.25", sandboxConfig: nil) == preloaded)
        #expect(try await mock.listImages().count == 1)
    }

    @Test("set-up helpers refuse invalid references and digests")
    func invalidSetUp() async throws {
        let mock = MockRuntime()
        await #expect(throws: MockRuntimeError.invalidReference("NGINX")) { try await mock.registry(add: "NGINX") }
        await #expect(throws: MockRuntimeError.invalidDigest("sha256:12")) { try await mock.registry(add: "nginx", digest: "sha256:12") }
        await #expect(throws: MockRuntimeError.invalidDigest(digest("b"))) {
            try await mock.registry(add: "nginx@" + digest("a"), digest: digest("b"))
        }
    }

    @Test("a removed node image leaves its containers reporting the config image and image ID")
    func removedImage() async throws {
        let (mock, _) = try await makeMock()
        let (_, container) = try await runContainer(mock)
        let imageID = try #require(try await mock.imageStatus("nginx:1.25")?.id)
        #expect(await mock.removeNodeImage("nginx:1.25"))
        #expect(await mock.removeNodeImage("nginx:1.25") == false)
        let status = try await mock.containerStatus(id: container)
        #expect(status.state == .running)
        #expect(status.image == imageID)  // the config's image: the ref the pull returned
        #expect(status.imageRef == imageID)
    }

    @Test("registry(remove:) makes a reference unpullable and keeps node images")
    func registryRemove() async throws {
        let (mock, _) = try await makeMock()
        _ = try await mock.pullImage("nginx:1.25", sandboxConfig: nil)
        #expect(await mock.registry(remove: "nginx:1.25"))
        await #expect(throws: RuntimeError.self) { try await mock.pullImage("nginx:1.25", sandboxConfig: nil) }
        #expect(try await mock.imageStatus("nginx:1.25") != nil)
    }

    @Test("creating a container from an image not on the node fails as containerd does")
    func createWithoutImage() async throws {
        let (mock, _) = try await makeMock()
        let pod = podConfig()
        let sandbox = try await mock.runPodSandbox(pod)
        await #expect(throws: RuntimeError.failed(call: "CreateContainer", detail: "failed to resolve image \"nginx:1.25\": not found")) {
            try await mock.createContainer(sandboxID: sandbox, config: containerConfig(image: "nginx:1.25"), sandboxConfig: pod)
        }
        #expect(try await mock.listContainers(filter: ContainerFilter()).isEmpty)
    }
}

import Testing

@testable import MockRuntime

@Suite("Image reference normalization and digests")
struct ImageNameTests {
    @Test(
        "references normalize as containerd's ParseDockerRef",
        arguments: [
            ("nginx", "docker.io/library/nginx:latest"),
            ("nginx:1.25", "docker.io/library/nginx:1.25"),
            ("docker.io/nginx", "docker.io/library/nginx:latest"),
            ("index.docker.io/library/nginx:1", "docker.io/library/nginx:1"),
            ("user/app:1", "docker.io/user/app:1"),
            ("localhost:5000/app:1.0", "localhost:5000/app:1.0"),
            ("localhost/app", "localhost/app:latest"),
            ("quay.io/coreos/etcd:v3.5.0", "quay.io/coreos/etcd:v3.5.0"),
            ("registry.example.com:443/team/sub/app:v_1-2.3", "registry.example.com:443/team/sub/app:v_1-2.3"),
            ("[::1]:5000/app:v1", "[::1]:5000/app:v1"),
            ("my-org/my__app.x:tag", "docker.io/my-org/my__app.x:tag"),
            ("nginx@" + digest("a"), "docker.io/library/nginx@" + digest("a")),
            ("nginx:1.25@" + digest("b"), "docker.io/library/nginx@" + digest("b")),
        ])
    func normalizes(input: String, expected: String) {
        #expect(ImageName.parse(input)?.string == expected)
    }

    @Test(
        "invalid references are refused",
        arguments: [
            "", "Nginx", "nginx:", "nginx:-bad", "nginx@sha256:abc", "a//b", "app/", "-app", "nginx:1.25:2",
            String(repeating: "a", count: 64), "nginx@" + digest("A"), "local host/app",
        ])
    func refuses(input: String) {
        #expect(ImageName.parse(input) == nil)
    }

    @Test("a digest reference keeps its repository and digest, without tag")
    func digestParts() throws {
        let name = try #require(ImageName.parse("localhost:5000/app@" + digest("c")))
        #expect(name.repository == "localhost:5000/app")
        #expect(name.digest == digest("c"))
        #expect(name.tag == nil)
    }

    @Test("SHA-256 matches the FIPS 180-4 test vectors")
    func sha256Vectors() {
        #expect(SHA256.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256.digest("abc") == "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}
